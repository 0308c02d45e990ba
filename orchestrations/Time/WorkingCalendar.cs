namespace Hotline.Orchestrations.Time;

/// <summary>
/// Working-time arithmetic for the hotline: working days (Monday to Friday, minus statutory holidays and
/// bridged rest days, plus adjusted working weekend days), the sessions of each working day, and periods
/// counted as the Civil Code (arts. 201 and 203) requires. Every computation runs in China Standard Time
/// whatever the offset of its input, and every result carries the +08:00 offset.
/// </summary>
/// <remarks>
/// <para><b>Missing calendar years.</b> The holiday schedule of a year is published late in the previous
/// year, so a period can reach into a year for which <see cref="Holidays"/> has no data. Refusing to
/// compute would stop the hotline from accepting matters in late December, so for such a year every
/// method here falls back to plain Monday-Friday weeks; the result may then be wrong around that year's
/// holidays. That must never happen silently: a caller that computes a deadline or a period must check
/// <see cref="UncoveredYears"/> for the span it computed over (for example from the start to the result)
/// and surface a non-empty answer (a warning on the matter, a log entry, a metric, a failing health
/// check). The remedy is to install the year's schedule (<c>PUT /api/calendars/{year}</c>, or a csv under
/// <c>Time/Calendars</c> in the next build); provisional deadlines are then recomputed (<see cref="Lifecycle.RecomputeDeadlines"/>).</para>
/// <para><b>Search horizon.</b> Searches that walk day by day stop after <see cref="MaxSearchDays"/>
/// calendar days with an exception rather than loop on absurd input.</para>
/// </remarks>
public sealed class WorkingCalendar
{
    /// <summary>No computation walks further than this many calendar days (about ten years).</summary>
    public const int MaxSearchDays = 3660;

    private static readonly Lazy<WorkingCalendar> DefaultCalendar =
        new(() => new WorkingCalendar(HolidayCalendar.Embedded, WorkingDaySchedule.Default));

    private static readonly TimeSpan EndOfDay = TimeSpan.FromDays(1);

    public WorkingCalendar(HolidayCalendar holidays, WorkingDaySchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        ArgumentNullException.ThrowIfNull(schedule);
        Holidays = holidays;
        Schedule = schedule;
    }

    /// <summary>The embedded statutory holiday schedules with the default 09:00-12:00, 13:30-17:30 day.</summary>
    public static WorkingCalendar Default => DefaultCalendar.Value;

    public HolidayCalendar Holidays { get; }

    public WorkingDaySchedule Schedule { get; }

    /// <summary>Monday to Friday, minus "off" days, plus "work" days. Plain Monday-Friday in an uncovered year.</summary>
    public bool IsWorkingDay(DateOnly day) => Holidays.OverrideFor(day) is { } row
        ? row.Kind == CalendarDayKind.Work
        : !HolidayCalendar.IsWeekend(day);

    /// <summary>Whether <paramref name="instant"/> lies inside a session [Start, End) of a working day.</summary>
    public bool IsWorkingTime(DateTimeOffset instant)
    {
        if (!IsWorkingDay(ChinaTime.DayOf(instant)))
            return false;
        var time = ChinaTime.TimeOfDay(instant);
        foreach (var session in Schedule.Sessions)
        {
            if (session.Start.ToTimeSpan() <= time && time < session.End.ToTimeSpan())
                return true;
        }

        return false;
    }

    /// <summary>The end of the last session on <paramref name="day"/>; it does not check that the day is a working day.</summary>
    public DateTimeOffset CloseOfBusiness(DateOnly day) => ChinaTime.At(day, Schedule.LastSession.End);

    /// <summary>
    /// The deadline of a period of <paramref name="days"/> working days that starts at <paramref name="start"/>
    /// (Civil Code arts. 201 and 203): the start day is not counted, whatever the hour, and the period ends at
    /// the close of business of its last working day. Zero days means "the same day": the close of business
    /// of the start day if it is a working day not yet closed, else of the next working day.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is negative, or the result lies beyond <see cref="MaxSearchDays"/>.</exception>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var startDay = ChinaTime.DayOf(start);
        if (days == 0)
        {
            return IsWorkingDay(startDay) && start < CloseOfBusiness(startDay)
                ? CloseOfBusiness(startDay)
                : CloseOfBusiness(NextWorkingDayAfter(startDay));
        }

        var day = startDay;
        for (var counted = 0; counted < days; counted++)
        {
            day = NextWorkingDayAfter(day);
            if (day.DayNumber - startDay.DayNumber > MaxSearchDays)
                throw new ArgumentOutOfRangeException(nameof(days), days, $"The period ends more than {MaxSearchDays} days after its start.");
        }

        return CloseOfBusiness(day);
    }

    /// <summary>
    /// The instant at which <paramref name="workingTime"/> of working time has elapsed after
    /// <paramref name="start"/>, counting only time inside sessions of working days. A result that exactly
    /// completes a session is that session's end, not the next session's start. Zero returns
    /// <paramref name="start"/> (as +08:00).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workingTime"/> is negative, or the result lies beyond <see cref="MaxSearchDays"/>.</exception>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        if (workingTime == TimeSpan.Zero)
            return ChinaTime.ToChina(start);

        var day = ChinaTime.DayOf(start);
        var notBefore = ChinaTime.TimeOfDay(start);
        var remaining = workingTime;
        for (var walked = 0; walked <= MaxSearchDays; walked++)
        {
            if (IsWorkingDay(day))
            {
                foreach (var session in Schedule.Sessions)
                {
                    var from = Max(session.Start.ToTimeSpan(), notBefore);
                    var available = session.End.ToTimeSpan() - from;
                    if (available <= TimeSpan.Zero)
                        continue;
                    if (remaining <= available)
                        return ChinaTime.At(day, from + remaining);
                    remaining -= available;
                }
            }

            day = day.AddDays(1);
            notBefore = TimeSpan.Zero;
        }

        throw new ArgumentOutOfRangeException(nameof(workingTime), workingTime, $"The result lies more than {MaxSearchDays} days after the start.");
    }

    /// <summary>The working time inside [<paramref name="from"/>, <paramref name="to"/>); zero when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    /// <remarks>Whole days in between are counted arithmetically (weeks plus calendar rows), so any span is cheap.</remarks>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
            return TimeSpan.Zero;
        var firstDay = ChinaTime.DayOf(from);
        var lastDay = ChinaTime.DayOf(to);
        var fromTime = ChinaTime.TimeOfDay(from);
        var toTime = ChinaTime.TimeOfDay(to);
        if (firstDay == lastDay)
            return WorkingTimeWithin(firstDay, fromTime, toTime);

        var wholeDays = WorkingDaysIn(firstDay.AddDays(1), lastDay);
        return WorkingTimeWithin(firstDay, fromTime, EndOfDay)
            + Schedule.DailyTotal * wholeDays
            + WorkingTimeWithin(lastDay, TimeSpan.Zero, toTime);
    }

    /// <summary>
    /// The latest instant by which an extension must be requested, "no later than half a working day before
    /// the deadline": the start of the latest session of a working day that ends at or before
    /// <paramref name="deadline"/>, so that at least one whole session of working time remains.
    /// </summary>
    /// <exception cref="InvalidOperationException">No working day within <see cref="MaxSearchDays"/> before the deadline.</exception>
    public DateTimeOffset ExtensionCutoff(DateTimeOffset deadline)
    {
        var day = ChinaTime.DayOf(deadline);
        var notAfter = ChinaTime.TimeOfDay(deadline);
        for (var walked = 0; walked <= MaxSearchDays; walked++)
        {
            if (IsWorkingDay(day))
            {
                for (var i = Schedule.Sessions.Count - 1; i >= 0; i--)
                {
                    var session = Schedule.Sessions[i];
                    if (session.End.ToTimeSpan() <= notAfter)
                        return ChinaTime.At(day, session.Start);
                }
            }

            day = day.AddDays(-1);
            notAfter = EndOfDay;
        }

        throw new InvalidOperationException($"No working day within {MaxSearchDays} days before {ChinaTime.ToChina(deadline):O}.");
    }

    /// <summary>
    /// The years touched by the span between <paramref name="from"/> and <paramref name="to"/> (inclusive,
    /// in either order, as China Standard Time days) for which <see cref="Holidays"/> has no data, ascending.
    /// Non-empty means some result over that span assumed plain Monday-Friday weeks.
    /// </summary>
    public IReadOnlyList<int> UncoveredYears(DateTimeOffset from, DateTimeOffset to)
    {
        var first = ChinaTime.DayOf(from).Year;
        var last = ChinaTime.DayOf(to).Year;
        if (last < first)
            (first, last) = (last, first);
        var uncovered = new List<int>();
        for (var year = first; year <= last; year++)
        {
            if (!Holidays.Covers(year))
                uncovered.Add(year);
        }

        return uncovered;
    }

    private DateOnly NextWorkingDayAfter(DateOnly day)
    {
        for (var walked = 1; walked <= MaxSearchDays; walked++)
        {
            var next = day.AddDays(walked);
            if (IsWorkingDay(next))
                return next;
        }

        throw new InvalidOperationException($"No working day within {MaxSearchDays} days after {day:yyyy-MM-dd}.");
    }

    private TimeSpan WorkingTimeWithin(DateOnly day, TimeSpan from, TimeSpan to)
    {
        if (!IsWorkingDay(day))
            return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        foreach (var session in Schedule.Sessions)
        {
            var overlap = Min(session.End.ToTimeSpan(), to) - Max(session.Start.ToTimeSpan(), from);
            if (overlap > TimeSpan.Zero)
                total += overlap;
        }

        return total;
    }

    // Working days in [from, toExclusive): the weekdays, corrected by each calendar row in the range
    // (an "off" weekday removes one, a "work" weekend day adds one).
    private int WorkingDaysIn(DateOnly from, DateOnly toExclusive)
    {
        var count = WeekdaysIn(from, toExclusive);
        foreach (var row in Holidays.OverridesIn(from, toExclusive))
        {
            var ordinarilyWorking = !HolidayCalendar.IsWeekend(row.Date);
            var working = row.Kind == CalendarDayKind.Work;
            count += (working ? 1 : 0) - (ordinarilyWorking ? 1 : 0);
        }

        return count;
    }

    private static int WeekdaysIn(DateOnly from, DateOnly toExclusive)
    {
        var days = toExclusive.DayNumber - from.DayNumber;
        if (days <= 0)
            return 0;
        var count = days / 7 * 5;
        var day = from;
        for (var rest = days % 7; rest > 0; rest--, day = day.AddDays(1))
        {
            if (!HolidayCalendar.IsWeekend(day))
                count++;
        }

        return count;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
