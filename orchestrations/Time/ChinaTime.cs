namespace Hotline.Orchestrations.Time;

/// <summary>China Standard Time (Asia/Shanghai), in which every hotline rule runs.</summary>
/// <remarks>
/// China Standard Time has been a fixed UTC+08:00 with no daylight saving since 1991; a fixed offset
/// avoids depending on the host's tz database (Windows and Linux name the zone differently, and a
/// container may ship none). Instants before 1992 are therefore not converted historically.
/// </remarks>
public static class ChinaTime
{
    /// <summary>UTC+08:00.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The same instant, expressed with the +08:00 offset.</summary>
    public static DateTimeOffset ToChina(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The China Standard Time calendar day on which <paramref name="instant"/> falls.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToChina(instant).DateTime);

    /// <summary>The instant at which China Standard Time wall clocks show <paramref name="time"/> on <paramref name="day"/>.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time) => At(day, time.ToTimeSpan());

    // Working-time arithmetic works on time of day as a TimeSpan so that sums never wrap at midnight.
    internal static DateTimeOffset At(DateOnly day, TimeSpan timeOfDay) =>
        new(day.ToDateTime(TimeOnly.MinValue) + timeOfDay, Offset);

    internal static TimeSpan TimeOfDay(DateTimeOffset instant) => ToChina(instant).TimeOfDay;
}
