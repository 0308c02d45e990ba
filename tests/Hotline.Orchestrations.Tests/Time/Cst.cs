using System.Globalization;
using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

/// <summary>Terse China Standard Time literals, so that examples read like the regulations' own.</summary>
internal static class Cst
{
    /// <summary>"2026-09-30 16:00" as +08:00.</summary>
    public static DateTimeOffset At(string wallTime) =>
        new(DateTime.ParseExact(wallTime, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), ChinaTime.Offset);

    public static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static TimeOnly Time(string time) => TimeOnly.ParseExact(time, "HH:mm", CultureInfo.InvariantCulture);

    public static WorkingSession Session(string start, string end) => new(Time(start), Time(end));

    /// <summary>The embedded 2025 and 2026 schedules only, so tests about uncovered years stay valid after 2027 data is added.</summary>
    public static HolidayCalendar Calendars2025And2026 { get; } = HolidayCalendar.Parse(
        new[] { "cn-statutory-2025.csv", "cn-statutory-2026.csv" }.Select(ReadEmbedded));

    private static string ReadEmbedded(string fileName)
    {
        var assembly = typeof(HolidayCalendar).Assembly;
        using var stream = assembly.GetManifestResourceStream("Hotline.Calendars." + fileName)
            ?? throw new InvalidOperationException($"Resource Hotline.Calendars.{fileName} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
