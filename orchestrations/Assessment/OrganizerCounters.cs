using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Assessment.AssessmentRules;

namespace Hotline.Orchestrations.Assessment;

/// <summary>
/// The organizer assessment's figures of one or many assignments, in a form that adds up: counts for what is settled
/// whatever the report's instant, and, for what "as of" still decides, the deadlines after which an assignment counts
/// (an unsigned assignment becomes due to sign once its sign-off deadline passes without a new event). Adding the
/// counters of assignments, then reading them at an instant, gives exactly what <see cref="OrganizerAssessment"/>'s
/// rules give over the assignments themselves at that instant. Working times are kept as their two instants, not as
/// durations, so they are measured with the calendar in force when the report is read, as the rules measure them.
/// </summary>
/// <remarks>Mutable on purpose: a sum of many thousand assignments is built in place.</remarks>
public sealed class OrganizerCounters
{
    public int Received { get; set; }
    public int SignedOnTime { get; set; }

    /// <summary>Signed: due to sign whatever the instant.</summary>
    public int SignDue { get; set; }

    /// <summary>Unsigned and not relieved: due to sign once the deadline (UTC ticks) has passed.</summary>
    public List<long> SignDueAfter { get; set; } = [];

    public int Returned { get; set; }
    public int ReturnsApproved { get; set; }
    public int ReturnsDecided { get; set; }
    public int ContactDue { get; set; }
    public List<long> ContactDueAfter { get; set; } = [];
    public int ContactedOnTime { get; set; }
    public int Completed { get; set; }
    public int CompletedOnTime { get; set; }
    public int CompleteDue { get; set; }
    public List<long> CompleteDueAfter { get; set; } = [];
    public int Extended { get; set; }
    public int Terminated { get; set; }
    public int Evaluated { get; set; }
    public int Satisfied { get; set; }
    public int HandledAgain { get; set; }
    public int Supervised { get; set; }
    public int Solved { get; set; }
    public int ExplainedNotSolvable { get; set; }

    /// <summary>Receipt and signature, UTC ticks, of every signed assignment.</summary>
    public List<long[]> ToSign { get; set; } = [];

    /// <summary>Receipt and the accepted reply's submission, UTC ticks, of every completed assignment.</summary>
    public List<long[]> ToComplete { get; set; } = [];

    /// <summary>The parts asked of co-organizers in these assignments, by co-organizer.</summary>
    public Dictionary<string, PartCounters> CoOrganizers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What one assignment adds to the counters of the unit that received it.</summary>
    public static OrganizerCounters Of(AssignmentFacts a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var c = new OrganizerCounters
        {
            Received = 1,
            SignedOnTime = One(SignedOnTime(a)),
            SignDue = One(a.SignedAt is not null),
            Returned = One(Returned(a)),
            ReturnsApproved = One(ReturnApproved(a)),
            ReturnsDecided = One(ReturnDecided(a)),
            ContactDue = One(a.ContactBy is not null && a.ContactedAt is not null),
            ContactedOnTime = One(ContactedOnTime(a)),
            Completed = One(Completed(a)),
            CompletedOnTime = One(CompletedOnTime(a)),
            CompleteDue = One(Completed(a)),
            Extended = One(Extended(a)),
            Terminated = One(Terminated(a)),
            Evaluated = One(Evaluated(a)),
            Satisfied = One(Satisfied(a)),
            HandledAgain = One(HandledAgain(a)),
            Supervised = One(Supervised(a)),
            Solved = One(CoOrganizerAssessment.Solved(a)),
            ExplainedNotSolvable = One(CoOrganizerAssessment.ExplainedNotSolvable(a)),
        };
        // The "as of" part of each rule: the deadline alone is left to the report's instant (see AssessmentRules).
        if (a.SignedAt is null && !Relieved(a, a.SignBy)) c.SignDueAfter.Add(a.SignBy.UtcTicks);
        if (a.ContactBy is { } by && a.ContactedAt is null && !Relieved(a, by)) c.ContactDueAfter.Add(by.UtcTicks);
        if (!Completed(a) && !Relieved(a, a.DueBy) && !(a.TerminatedAt <= a.DueBy) && !(a.UnderReviewSince <= a.DueBy)) c.CompleteDueAfter.Add(a.DueBy.UtcTicks);
        if (a.SignedAt is { } signed) c.ToSign.Add([a.ReceivedAt.UtcTicks, signed.UtcTicks]);
        if (a.CompletedAt is not null && a.RepliedAt is { } replied) c.ToComplete.Add([a.ReceivedAt.UtcTicks, replied.UtcTicks]);
        foreach (var p in a.Parts)
        {
            var part = new PartCounters { Parts = 1, OnTime = One(CoOrganizerAssessment.OnTime(p)), Late = One(CoOrganizerAssessment.Late(p)) };
            // Missing at an instant is "not submitted, not relieved before the deadline, and the deadline passed by then".
            if (CoOrganizerAssessment.Missing(a, p, DateTimeOffset.MaxValue)) part.MissingAfter.Add(p.PartBy.UtcTicks);
            c.CoOrganizers[p.Organizer] = c.CoOrganizers.TryGetValue(p.Organizer, out var same) ? same.Add(part, 1) : part;
        }
        return c;
    }

    /// <summary>Adds (<paramref name="sign"/> 1) or takes away (-1) other counters, in place.</summary>
    public OrganizerCounters Add(OrganizerCounters other, int sign)
    {
        ArgumentNullException.ThrowIfNull(other);
        Received += sign * other.Received;
        SignedOnTime += sign * other.SignedOnTime;
        SignDue += sign * other.SignDue;
        Returned += sign * other.Returned;
        ReturnsApproved += sign * other.ReturnsApproved;
        ReturnsDecided += sign * other.ReturnsDecided;
        ContactDue += sign * other.ContactDue;
        ContactedOnTime += sign * other.ContactedOnTime;
        Completed += sign * other.Completed;
        CompletedOnTime += sign * other.CompletedOnTime;
        CompleteDue += sign * other.CompleteDue;
        Extended += sign * other.Extended;
        Terminated += sign * other.Terminated;
        Evaluated += sign * other.Evaluated;
        Satisfied += sign * other.Satisfied;
        HandledAgain += sign * other.HandledAgain;
        Supervised += sign * other.Supervised;
        Solved += sign * other.Solved;
        ExplainedNotSolvable += sign * other.ExplainedNotSolvable;
        Merge(SignDueAfter, other.SignDueAfter, sign);
        Merge(ContactDueAfter, other.ContactDueAfter, sign);
        Merge(CompleteDueAfter, other.CompleteDueAfter, sign);
        MergePairs(ToSign, other.ToSign, sign);
        MergePairs(ToComplete, other.ToComplete, sign);
        foreach (var (unit, part) in other.CoOrganizers)
        {
            var mine = CoOrganizers.TryGetValue(unit, out var existing) ? existing : CoOrganizers[unit] = new PartCounters();
            mine.Add(part, sign);
            if (mine.Parts == 0) CoOrganizers.Remove(unit);
        }
        return this;
    }

    /// <summary>
    /// Puts every list and the co-organizers in order, in place: the same assignments counted in any order then read
    /// the same, so a stored sum can be compared with a recount.
    /// </summary>
    public OrganizerCounters Canonical()
    {
        SignDueAfter.Sort();
        ContactDueAfter.Sort();
        CompleteDueAfter.Sort();
        ToSign.Sort(ComparePairs);
        ToComplete.Sort(ComparePairs);
        foreach (var part in CoOrganizers.Values) part.MissingAfter.Sort();
        CoOrganizers = CoOrganizers.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return this;
    }

    private static int ComparePairs(long[] x, long[] y) => x[0] != y[0] ? x[0].CompareTo(y[0]) : x[1].CompareTo(y[1]);

    /// <summary>The figures of these counters at <paramref name="asOf"/>: what the rules give over the assignments counted.</summary>
    public OrganizerFigures Figures(string organizer, DateTimeOffset asOf, WorkingCalendar calendar, int minimum)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var at = asOf.UtcTicks;
        var signDue = SignDue + SignDueAfter.Count(d => d <= at);
        var contactDue = ContactDue + ContactDueAfter.Count(d => d <= at);
        var completeDue = CompleteDue + CompleteDueAfter.Count(d => d <= at);
        var rates = new AssessmentRates(
            Response: Rate.From(SignedOnTime, signDue, minimum),
            ReturnApproval: Rate.From(ReturnsApproved, ReturnsDecided, minimum),
            Contact: Rate.From(ContactedOnTime, contactDue, minimum),
            OnTime: Rate.From(CompletedOnTime, completeDue, minimum),
            Satisfaction: Rate.From(Satisfied, Evaluated, minimum),
            Rehandling: Rate.From(HandledAgain, Completed, minimum));
        return new OrganizerFigures(organizer, Received, SignedOnTime, Returned, ReturnsApproved, contactDue, ContactedOnTime, Completed, CompletedOnTime,
            Extended, Terminated, Evaluated, Satisfied, HandledAgain, Supervised, rates,
            Statistics.Hours(ToSign.Select(p => Working(calendar, p)), minimum),
            Statistics.Hours(ToComplete.Select(p => Working(calendar, p)), minimum))
        {
            Solved = Solved,
            ExplainedNotSolvable = ExplainedNotSolvable,
        };
    }

    private static TimeSpan Working(WorkingCalendar calendar, long[] pair) =>
        calendar.WorkingTimeBetween(new DateTimeOffset(pair[0], TimeSpan.Zero), new DateTimeOffset(pair[1], TimeSpan.Zero));

    private static int One(bool counts) => counts ? 1 : 0;

    private static void Merge(List<long> into, List<long> other, int sign)
    {
        foreach (var x in other)
        {
            if (sign > 0) into.Add(x);
            else into.Remove(x);
        }
    }

    private static void MergePairs(List<long[]> into, List<long[]> other, int sign)
    {
        foreach (var x in other)
        {
            if (sign > 0) into.Add(x);
            else if (into.FindIndex(y => y[0] == x[0] && y[1] == x[1]) is var i and >= 0) into.RemoveAt(i);
        }
    }
}

/// <summary>A co-organizer's parts counted: missing once their deadline (UTC ticks) has passed, as <see cref="CoOrganizerAssessment.Missing"/>.</summary>
public sealed class PartCounters
{
    public int Parts { get; set; }
    public int OnTime { get; set; }
    public int Late { get; set; }
    public List<long> MissingAfter { get; set; } = [];

    public PartCounters Add(PartCounters other, int sign)
    {
        ArgumentNullException.ThrowIfNull(other);
        Parts += sign * other.Parts;
        OnTime += sign * other.OnTime;
        Late += sign * other.Late;
        foreach (var x in other.MissingAfter)
        {
            if (sign > 0) MissingAfter.Add(x);
            else MissingAfter.Remove(x);
        }
        return this;
    }

    public CoOrganizerFigures Figures(DateTimeOffset asOf) => new(Parts, OnTime, Late, MissingAfter.Count(d => d <= asOf.UtcTicks));
}
