using System.Collections.Immutable;

namespace Hotline.Orchestrations.Lifecycle;

/// <summary>Every deadline the matter has now; null where none applies.</summary>
public sealed record Deadlines(
    DateTimeOffset? DispatchBy = null,
    DateTimeOffset? SignBy = null,
    DateTimeOffset? SignOffReminderAt = null,
    DateTimeOffset? ReturnBy = null,
    DateTimeOffset? ContactBy = null,
    DateTimeOffset? DueBy = null,
    DateTimeOffset? ExtensionCutoff = null,
    DateTimeOffset? EvaluationBy = null);

public sealed record Assignment(string Organizer, ImmutableList<string> CoOrganizers, bool Designated, DateTimeOffset At, Actor By);

public sealed record ReturnRecord(string Organizer, string Reason, DateTimeOffset AppliedAt, bool? Approved = null, string? Note = null, DateTimeOffset? DecidedAt = null);

/// <param name="Organizer">The unit that applied; null in records stored before units were recorded.</param>
/// <param name="Lapsed">Never decided: the matter left the unit or the round ended first (see <see cref="Matter.LapsePending"/>).</param>
public sealed record ExtensionRecord(int Round, int WorkingDays, string Reason, DateTimeOffset AppliedAt, bool? Approved = null, string? Note = null, DateTimeOffset? DecidedAt = null, DateTimeOffset? NewDueBy = null,
    string? Organizer = null, bool Lapsed = false);

public sealed record TerminationRecord(string Reason, DateTimeOffset AppliedAt, bool? Approved = null, string? Note = null, DateTimeOffset? DecidedAt = null,
    string? Organizer = null, bool Lapsed = false);

public sealed record ReplyRecord(int Round, string Text, ImmutableList<EvidenceRef> Evidence, DateTimeOffset At, bool? Accepted = null, string? Note = null, DateTimeOffset? ReviewedAt = null,
    ReplyKind Kind = ReplyKind.Solved);

/// <param name="OrganizerResponsible">For an unsatisfied evaluation, what staff verified (null until they did, and in histories from before verification).</param>
public sealed record EvaluationRecord(EvaluationResult Result, string? Comment, DateTimeOffset At, Actor By, bool? OrganizerResponsible = null, string? VerificationNote = null);

public sealed record SupervisionRecord(SupervisionReason Reason, string? Note, DateTimeOffset Since, string Organizer, DateTimeOffset? LiftedAt = null, string? LiftReason = null);

public sealed record Rejection(string ReasonCode, string Basis, string? Note);

public sealed record ReminderRecord(string Organizer, string Note, DateTimeOffset At, Actor By);

public sealed record ReturnVisitRecord(bool Solved, string Note, DateTimeOffset At, Actor By);

public sealed record OnTheSpotAnswer(string Answer, string? ArticleId);

/// <summary>One line of the matter's history: what happened, when, and who did it (no personal data).</summary>
public sealed record TimelineEntry(DateTimeOffset At, Actor Actor, string Event);

/// <summary>
/// The state of one matter: a left fold of its events (<see cref="Evolve"/>). Everything a reader needs is here;
/// the events stay the source of truth and the state can always be rebuilt from them.
/// </summary>
public sealed partial record Matter
{
    public required string Id { get; init; }
    public int Version { get; init; }
    public MatterStatus Status { get; init; }
    public required Intake Intake { get; init; }
    public Assignment? Assignment { get; init; }
    public ImmutableList<Assignment> PreviousAssignments { get; init; } = [];
    public int LimitWorkingDays { get; init; }
    public int HandlingRound { get; init; } = 1;
    public Deadlines Deadlines { get; init; } = new();
    public DateTimeOffset? SignedAt { get; init; }
    public DateTimeOffset? ContactedAt { get; init; }
    public MatterStatus? StatusBeforeReturn { get; init; }
    public ImmutableList<ReturnRecord> Returns { get; init; } = [];
    public ImmutableList<ExtensionRecord> Extensions { get; init; } = [];
    public ImmutableList<TerminationRecord> Terminations { get; init; } = [];
    public ImmutableList<ReplyRecord> Replies { get; init; } = [];
    public ImmutableList<EvaluationRecord> Evaluations { get; init; } = [];
    public ImmutableList<SupervisionRecord> Supervision { get; init; } = [];
    public ImmutableList<Alarm> FiredAlarms { get; init; } = [];
    public ImmutableList<TimelineEntry> Timeline { get; init; } = [];
    public ImmutableSortedSet<int> UncoveredCalendarYears { get; init; } = [];
    public Rejection? Rejection { get; init; }
    public OnTheSpotAnswer? Answer { get; init; }
    public Closure? Closure { get; init; }
    public ImmutableList<string> PossibleDuplicates { get; init; } = [];
    public string? MergedInto { get; init; }
    public ImmutableList<string> AbsorbedDuplicates { get; init; } = [];
    public ImmutableList<ReminderRecord> Reminders { get; init; } = [];
    public ImmutableList<ReturnVisitRecord> ReturnVisits { get; init; } = [];
    public DateTimeOffset? ClosedAt { get; init; }
    public LongTermState LongTerm { get; init; } = new();

    public string? Organizer => Assignment?.Organizer;
    public bool Supervised => Supervision.Any(s => s.LiftedAt is null);
    public bool IsTerminal => Status is MatterStatus.Rejected or MatterStatus.Answered or MatterStatus.Terminated or MatterStatus.Closed or MatterStatus.Merged;
    public ExtensionRecord? PendingExtension => Extensions.LastOrDefault(e => e.Approved is null);
    public TerminationRecord? PendingTermination => Terminations.LastOrDefault(t => t.Approved is null);
    public ReplyRecord? LatestReply => Replies.LastOrDefault();
    public int UnsatisfiedCount => Evaluations.Count(e => e.Result == EvaluationResult.Unsatisfied);

    /// <summary>Unsatisfied evaluations for which the organizer was held responsible (unverified ones from older histories count).</summary>
    public int UnsatisfiedByOrganizerCount => Evaluations.Count(e => e.Result == EvaluationResult.Unsatisfied && e.OrganizerResponsible != false);
    public int SentBackCount => Replies.Count(r => r.Accepted == false);
    public bool DispatchOverdue => Status == MatterStatus.AwaitingDispatch && FiredAlarms.Any(a => a.Kind == AlarmKind.DispatchDue && a.At == Deadlines.DispatchBy);

    /// <summary>Extensions of the current unit in the current handling round that count against the profile's maximum (granted or pending).</summary>
    public int ExtensionsCounted => CountedExtensions.Count();

    /// <summary>Working days added by the counted extensions (granted or pending).</summary>
    public int ExtensionDaysCounted => CountedExtensions.Sum(e => e.WorkingDays);

    private IEnumerable<ExtensionRecord> CountedExtensions =>
        Extensions.Where(e => e.Round == HandlingRound && (e.Organizer is null || e.Organizer == Organizer) && e.Approved != false);

    public static Matter Evolve(Matter? state, MatterEvent e)
    {
        if (state is null)
        {
            return e is MatterSubmitted s
                ? new Matter
                {
                    Id = s.MatterId,
                    Version = 1,
                    Status = MatterStatus.AwaitingDispatch,
                    Intake = s.Intake,
                    Deadlines = new Deadlines(DispatchBy: s.DispatchBy),
                    UncoveredCalendarYears = [.. s.UncoveredCalendarYears],
                    PossibleDuplicates = [.. s.PossibleDuplicates ?? []],
                    Timeline = [new TimelineEntry(s.At, s.Actor, EventName(s))],
                }
                : throw new InvalidOperationException($"A matter's history must start with {nameof(MatterSubmitted)}, not {e.GetType().Name}.");
        }

        var next = Apply(state, e);
        return next with { Version = state.Version + 1, Timeline = next.Timeline.Add(new TimelineEntry(e.At, e.Actor, EventName(e))) };
    }

    public static Matter Replay(IEnumerable<MatterEvent> history) =>
        history.Aggregate((Matter?)null, Evolve) ?? throw new InvalidOperationException("Empty history.");

    private static Matter Apply(Matter m, MatterEvent e) => e switch
    {
        MatterSubmitted => throw new InvalidOperationException("A matter is submitted once."),
        MatterRejected r => m with { Status = MatterStatus.Rejected, Rejection = new Rejection(r.ReasonCode, r.Basis, r.Note), ClosedAt = r.At },
        AnsweredOnTheSpot a => m with { Status = MatterStatus.Answered, Answer = new OnTheSpotAnswer(a.Answer, a.ArticleId), ClosedAt = a.At },
        MatterDispatched d => m with
        {
            Status = MatterStatus.AwaitingSignOff,
            Assignment = new Assignment(d.Organizer, [.. d.CoOrganizers], d.Designated, d.At, d.Actor),
            PreviousAssignments = m.Assignment is null ? m.PreviousAssignments : m.PreviousAssignments.Add(m.Assignment),
            LimitWorkingDays = d.LimitWorkingDays,
            SignedAt = null,
            ContactedAt = null, // each unit the matter goes to owes the citizen its own first contact
            Deadlines = new Deadlines(
                SignBy: d.Deadlines.SignBy,
                SignOffReminderAt: d.Deadlines.SignOffReminderAt,
                ReturnBy: d.Deadlines.ReturnBy,
                ContactBy: d.Deadlines.ContactBy,
                DueBy: d.Deadlines.DueBy,
                ExtensionCutoff: d.Deadlines.ExtensionCutoff),
            UncoveredCalendarYears = m.UncoveredCalendarYears.Union(d.UncoveredCalendarYears),
            CoOrganizerParts = [], // the parts belonged to the previous assignment's co-organizers
        },
        MatterSigned s => m with { Status = MatterStatus.Handling, SignedAt = s.At },
        ReturnApplied r => m with
        {
            Status = MatterStatus.ReturnRequested,
            StatusBeforeReturn = m.Status,
            Returns = m.Returns.Add(new ReturnRecord(m.Organizer!, r.Reason, r.At)),
        },
        ReturnApproved r => m with
        {
            Status = MatterStatus.AwaitingDispatch,
            StatusBeforeReturn = null,
            Returns = DecideLast(m.Returns, x => x with { Approved = true, Note = r.Note, DecidedAt = r.At }),
            PreviousAssignments = m.PreviousAssignments.Add(m.Assignment!),
            Assignment = null,
            SignedAt = null,
            Deadlines = new Deadlines(DispatchBy: r.DispatchBy),
            Extensions = LapsePending(m.Extensions, r.At, "the matter was returned"),
            Terminations = LapsePending(m.Terminations, r.At, "the matter was returned"),
        },
        ReturnRefused r => m with
        {
            Status = m.StatusBeforeReturn ?? MatterStatus.Handling,
            StatusBeforeReturn = null,
            Returns = DecideLast(m.Returns, x => x with { Approved = false, Note = r.Note, DecidedAt = r.At }),
            Deadlines = m.Deadlines with { SignBy = r.SignBy ?? m.Deadlines.SignBy, SignOffReminderAt = r.SignOffReminderAt ?? m.Deadlines.SignOffReminderAt },
        },
        CitizenContacted c => m with { ContactedAt = m.ContactedAt ?? c.At },
        ExtensionApplied x => m with { Extensions = m.Extensions.Add(new ExtensionRecord(m.HandlingRound, x.WorkingDays, x.Reason, x.At, Organizer: m.Organizer)) },
        ExtensionApproved x => m with
        {
            Extensions = DecideLast(m.Extensions, r => r with { Approved = true, Note = x.Note, DecidedAt = x.At, NewDueBy = x.DueBy }),
            Deadlines = m.Deadlines with { DueBy = x.DueBy, ExtensionCutoff = x.ExtensionCutoff },
            UncoveredCalendarYears = m.UncoveredCalendarYears.Union(x.UncoveredCalendarYears),
        },
        ExtensionRefused x => m with { Extensions = DecideLast(m.Extensions, r => r with { Approved = false, Note = x.Note, DecidedAt = x.At }) },
        TerminationApplied t => m with { Terminations = m.Terminations.Add(new TerminationRecord(t.Reason, t.At, Organizer: m.Organizer)) },
        TerminationApproved t => m with
        {
            Status = MatterStatus.Terminated,
            ClosedAt = t.At,
            Terminations = DecideLast(m.Terminations, r => r with { Approved = true, Note = t.Note, DecidedAt = t.At }),
        },
        TerminationRefused t => m with { Terminations = DecideLast(m.Terminations, r => r with { Approved = false, Note = t.Note, DecidedAt = t.At }) },
        ReplySubmitted r => m with
        {
            Status = MatterStatus.ReplyUnderReview,
            Replies = m.Replies.Add(new ReplyRecord(m.HandlingRound, r.Text, [.. r.Evidence], r.At, Kind: r.Kind)),
        },
        ReplyAccepted r => m with
        {
            Status = MatterStatus.AwaitingEvaluation,
            Replies = DecideLast(m.Replies, x => x with { Accepted = true, Note = r.Note, ReviewedAt = r.At }),
            Deadlines = m.Deadlines with { EvaluationBy = r.EvaluationBy },
            // The accepted reply ends the handling those applications were for.
            Extensions = LapsePending(m.Extensions, r.At, "the reply was accepted"),
            Terminations = LapsePending(m.Terminations, r.At, "the reply was accepted"),
        },
        ReplySentBack r => m with
        {
            Status = MatterStatus.Handling,
            Replies = DecideLast(m.Replies, x => x with { Accepted = false, Note = r.Note, ReviewedAt = r.At }),
            // The organizer's clock resumes with the time it had left (events stored before the pause carry none).
            Deadlines = m.Deadlines with
            {
                ReturnBy = r.ReturnBy ?? m.Deadlines.ReturnBy,
                ContactBy = r.ContactBy ?? m.Deadlines.ContactBy,
                DueBy = r.DueBy ?? m.Deadlines.DueBy,
                ExtensionCutoff = r.ExtensionCutoff ?? m.Deadlines.ExtensionCutoff,
            },
        },
        MatterEvaluated v => m with
        {
            // Unsatisfied: staff verify who is responsible before anything else happens (Fujian 22). Histories from before
            // the verification follow this event with HandlingRestarted, which moves the status on as it always did.
            Status = v.Result == EvaluationResult.Unsatisfied ? MatterStatus.AwaitingVerification : m.Status,
            Evaluations = m.Evaluations.Add(new EvaluationRecord(v.Result, v.Comment, v.At, v.Actor)),
        },
        EvaluationVerified v => m with
        {
            Evaluations = DecideLast(m.Evaluations, x => x with { OrganizerResponsible = v.OrganizerResponsible, VerificationNote = v.Note }),
        },
        HandlingRestarted h => m with
        {
            Status = MatterStatus.Handling,
            HandlingRound = h.Round,
            Deadlines = m.Deadlines with { DueBy = h.DueBy, ExtensionCutoff = h.ExtensionCutoff, EvaluationBy = null },
            Extensions = LapsePending(m.Extensions, h.At, "a new handling round began"),
            Terminations = LapsePending(m.Terminations, h.At, "a new handling round began"),
            UncoveredCalendarYears = m.UncoveredCalendarYears.Union(h.UncoveredCalendarYears),
        },
        SupervisionStarted s => m with { Supervision = m.Supervision.Add(new SupervisionRecord(s.Reason, s.Note, s.Since ?? s.At, m.Organizer ?? "")) },
        SupervisionLifted s => m with
        {
            Supervision = [.. m.Supervision.Select(r => r.LiftedAt is null ? r with { LiftedAt = s.At, LiftReason = s.Reason } : r)],
        },
        AlarmFired a => m with { FiredAlarms = m.FiredAlarms.Add(a.Alarm) },
        MatterClosed c => m with { Status = MatterStatus.Closed, Closure = c.Closure, ClosedAt = c.At },
        MatterMerged x => m with { Status = MatterStatus.Merged, MergedInto = x.Target, ClosedAt = x.At },
        PossibleDuplicatesFlagged x => m with { PossibleDuplicates = m.PossibleDuplicates.AddRange(x.Matters.Except(m.PossibleDuplicates)) },
        DuplicateAbsorbed x => m with { AbsorbedDuplicates = m.AbsorbedDuplicates.Add(x.Duplicate) },
        OrganizerReminded x => m with { Reminders = m.Reminders.Add(new ReminderRecord(x.Organizer, x.Note, x.At, x.Actor)) },
        ReturnVisitRecorded x => m with { ReturnVisits = m.ReturnVisits.Add(new ReturnVisitRecord(x.Solved, x.Note, x.At, x.Actor)) },
        MatterReopened x => m with
        {
            Status = MatterStatus.Handling,
            HandlingRound = x.Round,
            Closure = null,
            ClosedAt = null,
            Deadlines = m.Deadlines with { DueBy = x.DueBy, ExtensionCutoff = x.ExtensionCutoff, EvaluationBy = null },
            Extensions = LapsePending(m.Extensions, x.At, "a new handling round began"),
            Terminations = LapsePending(m.Terminations, x.At, "a new handling round began"),
            UncoveredCalendarYears = m.UncoveredCalendarYears.Union(x.UncoveredCalendarYears),
        },
        DeadlinesRecomputed x => m with { Deadlines = x.Deadlines, UncoveredCalendarYears = [.. x.UncoveredCalendarYears] },
        LongTermEvent x => MatterLongTerm.Apply(m, x),
        CoOrganizersAssigned x => m with { CoOrganizerParts = [.. x.CoOrganizers.Select(co => new CoOrganizerPart(co, x.PartBy, m.HandlingRound))] },
        CoOrganizerPartSubmitted x => m with { CoOrganizerParts = SubmitPart(m.CoOrganizerParts, x) },
        _ => throw new InvalidOperationException($"Unknown event {e.GetType().Name}."),
    };

    /// <summary>
    /// Applications still waiting for a decision when the matter leaves the unit (an approved return), when the reply is
    /// accepted, or when a new handling round begins: they belonged to that unit and that round, so they lapse undecided
    /// rather than bind the next unit or round (a pending extension must not extend a deadline it was not asked for).
    /// </summary>
    internal static ImmutableList<ExtensionRecord> LapsePending(ImmutableList<ExtensionRecord> list, DateTimeOffset at, string why) =>
        [.. list.Select(r => r.Approved is null ? r with { Approved = false, Lapsed = true, Note = "lapsed: " + why, DecidedAt = at } : r)];

    internal static ImmutableList<TerminationRecord> LapsePending(ImmutableList<TerminationRecord> list, DateTimeOffset at, string why) =>
        [.. list.Select(r => r.Approved is null ? r with { Approved = false, Lapsed = true, Note = "lapsed: " + why, DecidedAt = at } : r)];

    private static ImmutableList<T> DecideLast<T>(ImmutableList<T> list, Func<T, T> decide) =>
        list.IsEmpty ? throw new InvalidOperationException("Nothing pending to decide.") : list.SetItem(list.Count - 1, decide(list[^1]));

    /// <summary>The event's name on the wire and in the timeline (camelCase of its type).</summary>
    public static string EventName(MatterEvent e) => char.ToLowerInvariant(e.GetType().Name[0]) + e.GetType().Name[1..];
}
