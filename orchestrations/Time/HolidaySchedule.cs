using System.Globalization;
using System.Text;

namespace Hotline.Orchestrations.Time;

/// <summary>What is wrong with a schedule text: the 1-based line (null when the text as a whole is wrong) and why.</summary>
public sealed record ScheduleError(int? Line, string Reason);

/// <summary>A schedule text read: either the schedule or the first error in it.</summary>
public sealed record ScheduleReading(HolidaySchedule? Schedule, ScheduleError? Error);

/// <summary>
/// The State Council's schedule of one year, as shipped in <c>Time/Calendars/*.csv</c> and as platform staff
/// install it at run time: lines starting with '#' are comments, then the header <c>date,kind,holiday</c>, then
/// one row per day that differs from an ordinary week, such as <c>2025-01-28,off,Spring Festival</c>.
/// </summary>
public sealed record HolidaySchedule
{
    public const string Header = "date,kind,holiday";

    public HolidaySchedule(int Year, IReadOnlyList<CalendarOverride> Rows)
    {
        ArgumentNullException.ThrowIfNull(Rows);
        if (Rows.Any(r => r.Date.Year != Year))
            throw new ArgumentException($"Every row of the {Year} schedule must be dated in {Year}.", nameof(Rows));
        this.Year = Year;
        this.Rows = Rows.OrderBy(r => r.Date).ToArray().AsReadOnly();
    }

    public int Year { get; }

    /// <summary>The rows by date.</summary>
    public IReadOnlyList<CalendarOverride> Rows { get; }

    /// <summary>
    /// Reads one year's text and checks it: every date real and in <paramref name="expectedYear"/> (or, when null,
    /// in the year of the first row), kinds <c>off</c> and <c>work</c> only, <c>work</c> only on weekend days, no
    /// date twice, a holiday name on every row, and at least one row (a text without rows cannot say which year it
    /// covers, and claiming none would hide a missing schedule). The first fault found is returned with its line.
    /// </summary>
    public static ScheduleReading Read(string text, int? expectedYear)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<CalendarOverride>();
        var seen = new HashSet<DateOnly>();
        var seenHeader = false;
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            ScheduleReading Fault(string reason) => new(null, new ScheduleError(i + 1, reason));
            if (!seenHeader)
            {
                if (!string.Equals(line, Header, StringComparison.OrdinalIgnoreCase))
                    return Fault($"expected the header \"{Header}\" but found \"{line}\".");
                seenHeader = true;
                continue;
            }

            var (row, fault) = ReadRow(line);
            if (row is null)
                return Fault(fault!);
            var year = expectedYear ?? (rows.Count > 0 ? rows[0].Date.Year : row.Date.Year);
            if (row.Date.Year != year)
                return Fault($"{row.Date:yyyy-MM-dd} is not in {year}; each calendar text covers one year.");
            if (!seen.Add(row.Date))
                return Fault($"{row.Date:yyyy-MM-dd} is listed twice.");
            rows.Add(row);
        }

        if (rows.Count == 0)
            return new ScheduleReading(null, new ScheduleError(null, seenHeader ? "no rows, so it covers no year." : $"no header \"{Header}\" and no rows, so it covers no year."));
        return new ScheduleReading(new HolidaySchedule(expectedYear ?? rows[0].Date.Year, rows), null);
    }

    /// <summary>The schedule in the shipped csv format, with a comment line first when one is given.</summary>
    public string ToCsv(string? comment = null)
    {
        var csv = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(comment))
        {
            foreach (var line in comment.Split('\n')) csv.Append("# ").Append(line.Trim()).Append('\n');
        }
        csv.Append(Header).Append('\n');
        foreach (var row in Rows)
        {
            csv.Append(row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(row.Kind == CalendarDayKind.Work ? "work" : "off").Append(',')
                .Append(row.Holiday).Append('\n');
        }
        return csv.ToString();
    }

    public bool Equals(HolidaySchedule? other) => other is not null && Year == other.Year && Rows.SequenceEqual(other.Rows);

    public override int GetHashCode() => HashCode.Combine(Year, Rows.Count);

    private static (CalendarOverride? Row, string? Fault) ReadRow(string line)
    {
        // At most three fields: a holiday name may itself contain commas.
        var fields = line.Split(',', 3);
        if (fields.Length != 3)
            return (null, $"expected \"date,kind,holiday\" but found \"{line}\".");

        var dateText = fields[0].Trim();
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return (null, $"\"{dateText}\" is not a date in the form yyyy-MM-dd.");

        CalendarDayKind kind;
        switch (fields[1].Trim().ToUpperInvariant())
        {
            case "OFF": kind = CalendarDayKind.Off; break;
            case "WORK": kind = CalendarDayKind.Work; break;
            default: return (null, $"kind \"{fields[1].Trim()}\" is neither \"off\" nor \"work\".");
        }

        // Adjusted working days are always weekend days; a weekday marked "work" is a typo that would go unnoticed.
        if (kind == CalendarDayKind.Work && !HolidayCalendar.IsWeekend(date))
            return (null, $"{date:yyyy-MM-dd} is a {date.DayOfWeek}, which is a working day anyway; \"work\" rows are for adjusted weekend days.");

        var holiday = fields[2].Trim();
        if (holiday.Length == 0)
            return (null, "the holiday name is empty.");

        return (new CalendarOverride(date, kind, holiday), null);
    }
}
