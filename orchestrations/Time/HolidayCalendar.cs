using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

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
    private const string Header = "date,kind,holiday";

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
        var rows = new List<CalendarOverride>();
        var seenHeader = false;
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var where = $"{source}, line {i + 1}";
            if (!seenHeader)
            {
                if (!string.Equals(line, Header, StringComparison.OrdinalIgnoreCase))
                    throw new FormatException($"{where}: expected the header \"{Header}\" but found \"{line}\".");
                seenHeader = true;
                continue;
            }

            var row = ParseRow(line, where);
            if (rows.Count > 0 && row.Date.Year != rows[0].Date.Year)
                throw new FormatException($"{where}: {row.Date:yyyy-MM-dd} is not in {rows[0].Date.Year}; each calendar text covers one year.");
            if (rows.Exists(r => r.Date == row.Date))
                throw new FormatException($"{where}: {row.Date:yyyy-MM-dd} is listed twice.");
            rows.Add(row);
        }

        // An empty text cannot say which year it covers, and claiming none would hide a missing schedule.
        if (rows.Count == 0)
            throw new FormatException($"{source}: no rows, so it covers no year.");
        return (rows[0].Date.Year, rows);
    }

    private static CalendarOverride ParseRow(string line, string where)
    {
        // At most three fields: a holiday name may itself contain commas.
        var fields = line.Split(',', 3);
        if (fields.Length != 3)
            throw new FormatException($"{where}: expected \"date,kind,holiday\" but found \"{line}\".");

        var dateText = fields[0].Trim();
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new FormatException($"{where}: \"{dateText}\" is not a date in the form yyyy-MM-dd.");

        var kind = fields[1].Trim().ToUpperInvariant() switch
        {
            "OFF" => CalendarDayKind.Off,
            "WORK" => CalendarDayKind.Work,
            _ => throw new FormatException($"{where}: kind \"{fields[1].Trim()}\" is neither \"off\" nor \"work\"."),
        };

        // Adjusted working days are always weekend days; a weekday marked "work" is a typo that would go unnoticed.
        if (kind == CalendarDayKind.Work && !IsWeekend(date))
            throw new FormatException($"{where}: {date:yyyy-MM-dd} is a {date.DayOfWeek}, which is a working day anyway; \"work\" rows are for adjusted weekend days.");

        var holiday = fields[2].Trim();
        if (holiday.Length == 0)
            throw new FormatException($"{where}: the holiday name is empty.");

        return new CalendarOverride(date, kind, holiday);
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
