using System.Text.Json.Serialization;

namespace Hotline.Orchestrations.Lifecycle;

// The domain's words. Enum names are the API's words too (camelCase on the wire).

public enum MatterType { Consultation, Help, Complaint, Report, Suggestion }

public enum Urgency { Normal, Urgent }

public enum Channel { Phone, Wechat, Weibo, Web, App, Open311, Other }

public enum MatterStatus
{
    AwaitingDispatch,
    AwaitingSignOff,
    Handling,
    ReturnRequested,
    ReplyUnderReview,
    AwaitingEvaluation,
    Rejected,
    Answered,
    Terminated,
    Closed,
    Merged,
    /// <summary>The citizen was unsatisfied; staff verify whether the organizer is responsible before it handles again (Fujian 22).</summary>
    AwaitingVerification,
}

public enum EvaluationResult { Satisfied, BasicallySatisfied, Unsatisfied }

public enum SupervisionReason
{
    SignOffOverdue,
    ContactOverdue,
    HandlingOverdue,
    RefusedWithinDuties,
    UnsatisfiedTwice,
    SentBackTwice,
    StaffDecision,
}

/// <summary>Why a closed matter closed; the status says that it did.</summary>
public enum Closure { Evaluated, EvaluationWindowLapsed }

public enum ActorKind { Channel, Staff, Organizer, Citizen, System }

/// <summary>Who did something. The id names a channel system, a staff member or an organizer unit, never a citizen.</summary>
public sealed record Actor(ActorKind Kind, string Id)
{
    public static readonly Actor System = new(ActorKind.System, "system");

    public static Actor Staff(string id) => new(ActorKind.Staff, id);
    public static Actor Organizer(string unit) => new(ActorKind.Organizer, unit);
    public static Actor ChannelSystem(string id) => new(ActorKind.Channel, id);
    public static Actor Citizen() => new(ActorKind.Citizen, "citizen");
}

public sealed record Location(string? Address, string? District, double? Lat, double? Lon);

/// <summary>
/// The citizen's personal data. Stored with the matter, masked for organizers when <see cref="Confidential"/>, never logged.
/// Phone is empty when the citizen left only an e-mail address (Open311 clients may send either).
/// </summary>
public sealed record Citizen(string? Name, string Phone, bool Confidential, string? Email = null);

/// <summary>What a channel system reported: the facts of the matter as received.</summary>
public sealed record Intake(
    Channel Channel,
    string ChannelRef,
    MatterType Type,
    Urgency Urgency,
    string Category,
    string Title,
    string Description,
    Location Location,
    Citizen Citizen,
    DateTimeOffset ReceivedAt);

/// <summary>A reference to one stored piece of evidence (photo or video), by blob name.</summary>
public sealed record EvidenceRef(string Blob, string ContentType, long Bytes);

[JsonConverter(typeof(JsonStringEnumConverter<AlarmKind>))]
public enum AlarmKind
{
    DispatchDue,
    SignOffReminder,
    SignOffOverdue,
    ReturnWindowEnd,
    ContactDue,
    ExtensionCutoff,
    HandlingDue,
    EvaluationWindowEnd,
    /// <summary>A long-running matter's solution plan is due (Guangzhou).</summary>
    SolutionPlanDue,
    /// <summary>A long-running matter's next staged feedback is due (Guangzhou).</summary>
    StagedFeedbackDue,
    /// <summary>The escalation's owner (government office or executive meeting) is due to conclude (Weifang 23).</summary>
    EscalationDue,
    /// <summary>A co-organizer's part is due (Fujian 16; Weifang 22): a part still missing then shows as overdue.</summary>
    CoOrganizerPartDue,
}

/// <summary>A pending deadline of a matter: at <see cref="At"/> the runtime fires it back into the lifecycle.</summary>
public sealed record Alarm(AlarmKind Kind, DateTimeOffset At);
