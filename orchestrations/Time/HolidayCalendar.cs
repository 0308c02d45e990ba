using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Hotline.Orchestrations.Time;

/// <summary>
/// The State Council's statutory holiday schedules: which days of which years differ from an ordinary
/// Monday-Friday week. Data is published one year at a time, late in the previous year.
/// </summary>
/// <remarks>
/// A year is covered only if a schedule for it was loaded; a covered year with no row for a day means
/// that day is ordinary. For an uncovered year nothing is known, see <see cref="WorkingCalendar"/> for
/// how that is handled and reported.
/// </remarks>
public sealed class HolidayCalendar
{
    private const string ResourcePrefix = "Hotline.Calendars.";

    private static readonly Lazy<HolidayCalendar> EmbeddedCalendar = new(LoadEmbedded);

    // Sorted by date, so that the overrides within a range can be found by binary search.
    private readonly DateOnly[] _dates;
    private readonly CalendarOverride[] _overrides;
    private readonly FrozenDictionary<DateOnly, CalendarOverride> _byDate;

    private HolidayCalendar(IEnumerable<CalendarOverride> overrides, IEnumerable<int> years)
    {
        _overrides = overrides.OrderBy(o => o.Date).ToArray();
        _dates = Array.ConvertAll(_overrides, o => o.Date);
        _byDate = _overrides.ToFrozenDictionary(o => o.Date);
        CoveredYears = years.ToImmutableSortedSet();
        Overrides = _overrides.AsReadOnly();
    }

    /// <summary>Every <c>Hotline.Calendars.*.csv</c> resource embedded in this assembly, parsed once.</summary>
    public static HolidayCalendar Embedded => EmbeddedCalendar.Value;

    /// <summary>The years for which a schedule was loaded, ascending.</summary>
    public IReadOnlySet<int> CoveredYears { get; }

    /// <summary>Every row of every loaded schedule, by date.</summary>
    public IReadOnlyList<CalendarOverride> Overrides { get; }

    public bool Covers(int year) => CoveredYears.Contains(year);

    /// <summary>The row for <paramref name="day"/>, or null if the day is ordinary or its year is not covered.</summary>
    public CalendarOverride? OverrideFor(DateOnly day) => _byDate.GetValueOrDefault(day);

    /// <summary>The rows dated in [<paramref name="from"/>, <paramref name="toExclusive"/>).</summary>
    internal ReadOnlySpan<CalendarOverride> OverridesIn(DateOnly from, DateOnly toExclusive)
    {
        if (toExclusive <= from)
            return [];
        var first = LowerBound(from);
        return _overrides.AsSpan(first, LowerBound(toExclusive) - first);
    }

    private int LowerBound(DateOnly day)
    {
        var index = Array.BinarySearch(_dates, day);
        return index >= 0 ? index : ~index;
    }

    /// <summary>
    /// Parses schedules, one text per year: lines starting with '#' are comments, then the header
    /// <c>date,kind,holiday</c>, then rows such as <c>2025-01-28,off,Spring Festival</c>
    /// (kind <c>off</c> or <c>work</c>). A text's year is the year of its dates.
    /// </summary>
    /// <exception cref="FormatException">A text is malformed; the message names the text and line.</exception>
    public static HolidayCalendar Parse(IEnumerable<string> csvTexts)
    {
        ArgumentNullException.ThrowIfNull(csvTexts);
        return Parse(csvTexts.Select((text, i) =>
            ($"Calendar text {i + 1}", text ?? throw new ArgumentException($"Calendar text {i + 1} is null.", nameof(csvTexts)))));
    }

    /// <summary>
    /// A calendar of the given year schedules: the embedded ones with those installed at run time (see
    /// <see cref="HolidaySchedule"/>); a later schedule of a year replaces an earlier one of the same year.
    /// </summary>
    public static HolidayCalendar Of(IEnumerable<HolidaySchedule> schedules)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        var byYear = new Dictionary<int, HolidaySchedule>();
        foreach (var schedule in schedules) byYear[schedule.Year] = schedule;
        return new HolidayCalendar(byYear.Values.SelectMany(y => y.Rows), byYear.Keys);
    }

    /// <summary>The rows of one covered year as a schedule, or null if the year is not covered.</summary>
    public HolidaySchedule? ScheduleOf(int year) =>
        Covers(year) ? new HolidaySchedule(year, [.. OverridesIn(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31).AddDays(1))]) : null;

    private static HolidayCalendar Parse(IEnumerable<(string Source, string Text)> sources)
    {
        var rows = new List<CalendarOverride>();
        var years = new Dictionary<int, string>();
        foreach (var (source, text) in sources)
        {
            var (year, yearRows) = ParseYear(source, text);
            if (years.TryGetValue(year, out var earlier))
                throw new FormatException($"{source}: year {year} is already covered by {earlier}.");
            years.Add(year, source);
            rows.AddRange(yearRows);
        }

        return new HolidayCalendar(rows, years.Keys);
    }

    private static (int Year, List<CalendarOverride> Rows) ParseYear(string source, string text)
    {
        var parsed = HolidaySchedule.Read(text, expectedYear: null);
        if (parsed.Error is { } error)
            throw new FormatException(error.Line is { } line ? $"{source}, line {line}: {error.Reason}" : $"{source}: {error.Reason}");
        return (parsed.Schedule!.Year, [.. parsed.Schedule.Rows]);
    }

    internal static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static HolidayCalendar LoadEmbedded()
    {
        var assembly = typeof(HolidayCalendar).Assembly;
        var texts = new List<(string, string)>();
        // Ordinal order keeps the parse the same on every host.
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                continue;
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Embedded calendar {name} is listed but cannot be opened.");
            using var reader = new StreamReader(stream);
            texts.Add(($"Embedded calendar {name}", reader.ReadToEnd()));
        }

        return Parse(texts);
    }
}
