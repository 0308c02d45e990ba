namespace Hotline.Orchestrations.Time;

/// <summary>One row of the statutory holiday schedule: a day whose status differs from an ordinary week, or a holiday on a weekend.</summary>
public sealed record CalendarOverride(DateOnly Date, CalendarDayKind Kind, string Holiday);
