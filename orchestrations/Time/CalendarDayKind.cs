namespace Hotline.Orchestrations.Time;

/// <summary>How a calendar data row changes an ordinary Monday-Friday week.</summary>
public enum CalendarDayKind
{
    /// <summary>csv "off": a statutory holiday or a bridged rest day (放假).</summary>
    Off,

    /// <summary>csv "work": a weekend day made an adjusted working day (调休上班).</summary>
    Work,
}
