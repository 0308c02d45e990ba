namespace Hotline.Orchestrations.Lifecycle;

/// <summary>Why the lifecycle refused a command: a stable code for programs and a sentence for people.</summary>
public sealed record Refusal(string Code, string Message);

public sealed record Decision(IReadOnlyList<MatterEvent> Events, Refusal? Refusal)
{
    public bool Accepted => Refusal is null;

    public static Decision Of(params MatterEvent[] events) => new(events, null);
    public static Decision Refuse(string code, string message) => new([], new Refusal(code, message));
}

/// <summary>The lifecycle's refusal codes; the API returns them in problem responses.</summary>
public static partial class RefusalCodes
{
    public const string MatterExists = "matter.exists";
    public const string MatterMissing = "matter.missing";
    public const string WrongStatus = "status.invalid";
    public const string ActorNotAllowed = "actor.not-allowed";
    public const string NotTheOrganizer = "organizer.not-assigned";
    public const string InvalidInput = "input.invalid";
    public const string UnknownRejectionReason = "rejection.unknown-reason";
    public const string NotAConsultation = "answer.not-consultation";
    public const string LeadIsCoOrganizer = "dispatch.lead-is-co-organizer";
    public const string ReturnWindowClosed = "return.window-closed";
    public const string DesignatedUnitMayNotReturn = "return.designated-unit";
    public const string ExtensionAfterCutoff = "extension.after-cutoff";
    public const string ExtensionTooMany = "extension.too-many";
    public const string ExtensionTooLong = "extension.too-long";
    public const string ExtensionPending = "extension.pending";
    public const string NoPendingExtension = "extension.none-pending";
    public const string TerminationPending = "termination.pending";
    public const string NoPendingTermination = "termination.none-pending";
    public const string EvidenceRequired = "reply.evidence-required";
    public const string EvidenceType = "reply.evidence-type";
    public const string EvaluationWindowClosed = "evaluation.window-closed";
    public const string NotSupervised = "supervision.not-supervised";
    public const string AlarmStale = "alarm.stale";
    public const string AlarmNotDue = "alarm.not-due";
    public const string DuplicateKnown = "merge.already-recorded";
    public const string DuplicatesKnown = "duplicates.already-flagged";
    public const string NotProvisional = "deadlines.not-provisional";
    public const string NotACoOrganizer = "coOrganizer.not-assigned";
    public const string PartAlreadySubmitted = "coOrganizer.part-submitted";
    public const string ContactRequired = "reply.contact-required";

    /// <summary>The intake's reference was already used by the same channel system for a different report.</summary>
    public const string IntakeConflict = "intake.different-report";
}
