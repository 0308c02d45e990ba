using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Api;

// Request bodies. Every member is nullable so that a missing field is reported by name rather than defaulted.

public sealed record LocationBody(string? Address, string? District, double? Lat, double? Lon);

public sealed record CitizenBody(string? Name, string? Phone, bool? Confidential);

public sealed record MatterBody(
    Channel? Channel,
    string? ChannelRef,
    MatterType? Type,
    Urgency? Urgency,
    string? Category,
    string? Title,
    string? Description,
    LocationBody? Location,
    CitizenBody? Citizen,
    DateTimeOffset? ReceivedAt);

public sealed record DispatchBody(string? Organizer, IReadOnlyList<string>? CoOrganizers, bool? Designated, int? StatutoryLimitWorkingDays);

public sealed record RejectionBody(string? ReasonCode, string? Note);

public sealed record AnswerBody(string? Answer, string? ArticleId);

public sealed record ReturnDecisionBody(bool? Approve, string? Note, string? ReassignTo, IReadOnlyList<string>? CoOrganizers, bool? Designated);

public sealed record DecisionBody(bool? Approve, string? Note);

public sealed record ReviewBody(bool? Accept, string? Note);

public sealed record NoteBody(string? Note);

public sealed record ReasonBody(string? Reason);

public sealed record MergeBody(string? Into, string? Note);

public sealed record EvaluationBody(EvaluationResult? Result, string? Comment);

public sealed record VerificationBody(bool? OrganizerResponsible, string? Note);
