using static Hotline.Orchestrations.Lifecycle.RefusalCodes;

namespace Hotline.Orchestrations.Lifecycle;

/// <summary>
/// What a reply says: the matter is solved, or it cannot be solved at present and the organizer contacted the citizen,
/// explained and guided (Fujian 20(7); Weifang 20(3): "explain and propose a solution").
/// </summary>
public enum ReplyKind { Solved, ExplainedNotSolvable }

public sealed partial class MatterLifecycle
{
    /// <summary>
    /// An "explained, not solvable now" reply needs the profile to offer it and a recorded contact with the citizen by the
    /// unit that has the matter: the explanation is given to the citizen, not only written to the platform.
    /// </summary>
    private Decision? ReplyKindRefusal(Matter m, SubmitReply c)
    {
        if (c.Kind != ReplyKind.ExplainedNotSolvable) return null;
        if (Profile.ExplainedNotSolvable is not { } rule)
            return Invalid("kind", $"Profile {Profile.Id} does not offer the reply 'explained, not solvable now'.");
        return m.ContactedAt is null
            ? Decision.Refuse(ContactRequired,
                $"Record the contact with the citizen (the explanation and guidance given) before replying that the matter cannot be solved at present. ({rule.Basis})")
            : null;
    }
}
