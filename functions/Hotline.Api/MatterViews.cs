using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Api;

// What each audience sees of a matter. Citizens' personal data appear unmasked only in the staff view asked for
// with ?reveal=citizen, which is audited; every other view masks them.

public sealed record CitizenView(string? Name, string Phone, bool Confidential, string? Email = null);

public sealed record DeadlinesView(
    DateTimeOffset? DispatchBy, DateTimeOffset? SignBy, DateTimeOffset? ReturnBy, DateTimeOffset? ContactBy,
    DateTimeOffset? DueBy, DateTimeOffset? ExtensionCutoff, DateTimeOffset? EvaluationBy);

/// <param name="Kind">solved, or explainedNotSolvable: the matter cannot be solved at present and the citizen was told why (Fujian 20(7)).</param>
public sealed record ReplyView(string Text, IReadOnlyList<EvidenceRef> Evidence, DateTimeOffset At, bool? Accepted, string? Note, ReplyKind Kind = ReplyKind.Solved);

public sealed record MatterView(
    string Id,
    int Version,
    MatterStatus Status,
    Channel Channel,
    string ChannelRef,
    MatterType Type,
    Urgency Urgency,
    string Category,
    string Title,
    string Description,
    Location Location,
    CitizenView Citizen,
    DateTimeOffset ReceivedAt,
    string? Organizer,
    IReadOnlyList<string> CoOrganizers,
    bool Designated,
    int HandlingRound,
    DeadlinesView Deadlines,
    IReadOnlyList<int> ProvisionalDeadlineYears,
    IReadOnlyList<ExtensionRecord> Extensions,
    IReadOnlyList<ReturnRecord> Returns,
    IReadOnlyList<TerminationRecord> Terminations,
    IReadOnlyList<ReplyView> Replies,
    IReadOnlyList<EvaluationRecord> Evaluations,
    bool Supervised,
    IReadOnlyList<SupervisionRecord> Supervision,
    IReadOnlyList<TimelineEntry> Timeline,
    Rejection? Rejection,
    OnTheSpotAnswer? Answer,
    Closure? Closure,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<Alarm> PendingAlarms,
    IReadOnlyList<string> PossibleDuplicates,
    string? MergedInto,
    IReadOnlyList<string> MergedDuplicates,
    LongTermState? LongTerm = null,
    IReadOnlyList<PartView>? CoOrganizerParts = null);

/// <summary>What a citizen may know of their matter (Weifang 13): progress and the accepted reply, nobody else's data.</summary>
public sealed record ProgressView(
    string Id,
    MatterStatus Status,
    string? Organizer,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DueBy,
    IReadOnlyList<ProgressStep> Steps,
    string? Reply,
    string? Answer,
    string? RejectionGuidance,
    IReadOnlyList<StagedFeedbackRecord>? StagedFeedback = null);

public sealed record ProgressStep(DateTimeOffset At, string Event);

public static class MatterViews
{
    public static MatterView Full(Matter m, bool revealCitizen)
    {
        var i = m.Intake;
        var d = m.Deadlines;
        return new MatterView(
            m.Id, m.Version, m.Status, i.Channel, i.ChannelRef, i.Type, i.Urgency, i.Category, i.Title, i.Description, i.Location,
            revealCitizen ? new CitizenView(i.Citizen.Name, i.Citizen.Phone, i.Citizen.Confidential, i.Citizen.Email) : Masked(i.Citizen),
            i.ReceivedAt, m.Organizer, m.Assignment?.CoOrganizers ?? [], m.Assignment?.Designated ?? false, m.HandlingRound,
            new DeadlinesView(d.DispatchBy, d.SignBy, d.ReturnBy, d.ContactBy, d.DueBy, d.ExtensionCutoff, d.EvaluationBy),
            [.. m.UncoveredCalendarYears], m.Extensions, m.Returns, m.Terminations,
            [.. m.Replies.Select(r => new ReplyView(r.Text, r.Evidence, r.At, r.Accepted, r.Note, r.Kind))],
            m.Evaluations, m.Supervised, m.Supervision, m.Timeline, m.Rejection, m.Answer, m.Closure, m.ClosedAt, MatterAlarms.Of(m),
            m.PossibleDuplicates, m.MergedInto, m.AbsorbedDuplicates, m.LongTerm,
            // The co-organizers' parts, an overdue one included (Fujian 16, 30(4)): staff see who is coping passively.
            [.. m.CoOrganizerParts.Select(p => new PartView(p.Organizer, null, p.PartBy, p.SubmittedAt, p.Text, p.Late, m.OverdueParts.Contains(p)))]);
    }

    public static ProgressView Progress(Matter m, Hotline.Orchestrations.Profiles.RegulationProfile profile, string language)
    {
        var accepted = m.Replies.LastOrDefault(r => r.Accepted == true);
        return new ProgressView(m.Id, m.Status, m.Organizer, m.Intake.ReceivedAt, m.Deadlines.DueBy,
            [.. m.Timeline.Where(t => PublicEvents.Contains(t.Event)).Select(t => new ProgressStep(t.At, t.Event))],
            accepted?.Text, m.Answer?.Answer, m.Rejection is null ? null : profile.NonAcceptanceReason(m.Rejection.ReasonCode)?.Guidance.In(language),
            // Staged feedback on a long-running matter is given to the citizen as well as the office (Guangzhou).
            m.LongTerm.LongRunning?.Feedback is { Count: > 0 } feedback ? feedback : null);
    }

    // Steps a citizen may see: internal reviews, refusals and supervision stay internal.
    private static readonly HashSet<string> PublicEvents =
        ["matterSubmitted", "matterRejected", "answeredOnTheSpot", "matterDispatched", "matterSigned", "citizenContacted", "extensionApproved",
         "replyAccepted", "matterEvaluated", "handlingRestarted", "terminationApproved", "matterClosed",
         "longRunningMarked", "solutionPlanSubmitted", "stagedFeedbackGiven", "longRunningEnded", "legalProcedureStarted", "legalProcedureEnded",
         "matterEscalated", "escalationOutcomeRecorded"];

    public static CitizenView Masked(Citizen c) => new(MaskName(c.Name), MaskPhone(c.Phone), c.Confidential, MaskEmail(c.Email));

    /// <summary>zhang@example.cn → z****@example.cn: the first letter and the domain.</summary>
    public static string? MaskEmail(string? email) =>
        email is null ? null : email.IndexOf('@', StringComparison.Ordinal) is var at and > 0 ? email[0] + new string('*', Math.Max(1, at - 1)) + email[at..] : "****";

    /// <summary>张三 → 张*, 欧阳娜娜 → 欧***; Latin names keep their first letter.</summary>
    public static string? MaskName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? name : name.Trim()[0] + new string('*', Math.Max(1, name.Trim().Length - 1));

    /// <summary>13800001234 → 138****1234: the operator prefix and the last four digits, as Chinese services show them.</summary>
    public static string MaskPhone(string phone)
    {
        var digits = phone.Where(char.IsAsciiDigit).ToArray();
        return digits.Length >= 7 ? $"{new string(digits[..3])}****{new string(digits[^4..])}" : new string('*', digits.Length);
    }
}
