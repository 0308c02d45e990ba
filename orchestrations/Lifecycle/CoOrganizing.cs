using System.Collections.Immutable;
using static Hotline.Orchestrations.Lifecycle.RefusalCodes;

namespace Hotline.Orchestrations.Lifecycle;

// Co-organizers (Fujian 16; Weifang 22): a matter that involves several units goes to a lead unit and co-organizers. Each
// co-organizer owes the lead its part by a deadline of its own, submits it through its own link, and answers for a part
// it never gives (Fujian 30(4): "passively coping"). The lead still replies for the matter as a whole.

/// <summary>The dispatch named co-organizers: each owes its part by <paramref name="PartBy"/>.</summary>
public sealed record CoOrganizersAssigned(DateTimeOffset At, Actor Actor, IReadOnlyList<string> CoOrganizers, DateTimeOffset PartBy) : MatterEvent(At, Actor);

/// <summary>A co-organizer (the actor's unit) submitted its part.</summary>
public sealed record CoOrganizerPartSubmitted(DateTimeOffset At, Actor Actor, string Text) : MatterEvent(At, Actor);

/// <summary>One co-organizer's part of the current assignment.</summary>
/// <param name="Round">The handling round the part was asked in: the lead's handling it was meant for.</param>
public sealed record CoOrganizerPart(string Organizer, DateTimeOffset PartBy, int Round, string? Text = null, DateTimeOffset? SubmittedAt = null)
{
    public bool Submitted => SubmittedAt is not null;

    /// <summary>Submitted after its deadline.</summary>
    public bool Late => SubmittedAt > PartBy;
}

public sealed partial record Matter
{
    /// <summary>The parts the current assignment's co-organizers owe (empty where the profile has no such rule).</summary>
    public ImmutableList<CoOrganizerPart> CoOrganizerParts { get; init; } = [];

    /// <summary>
    /// Parts still missing whose deadline alarm fired: visible to the lead, to staff and in the co-organizer's own view. A
    /// part is missing only while the matter is open; a closed matter's missing parts are the assessment's business.
    /// </summary>
    public IReadOnlyList<CoOrganizerPart> OverdueParts =>
        [.. CoOrganizerParts.Where(p => !p.Submitted && FiredAlarms.Contains(new Alarm(AlarmKind.CoOrganizerPartDue, p.PartBy)))];

    /// <summary>Whether <paramref name="unit"/> is one of the current assignment's co-organizers.</summary>
    public bool IsCoOrganizer(string unit) => Assignment is { } a && a.CoOrganizers.Contains(unit, StringComparer.Ordinal);

    private static ImmutableList<CoOrganizerPart> SubmitPart(ImmutableList<CoOrganizerPart> parts, CoOrganizerPartSubmitted e) =>
        [.. parts.Select(p => p.Organizer == e.Actor.Id && !p.Submitted ? p with { Text = e.Text, SubmittedAt = e.At } : p)];
}

public static class CoOrganizing
{
    /// <summary>
    /// The instant the earliest missing part is due, while the matter is open, with its assignment, and in the handling round
    /// the part was asked for: the co-organizers' clock is theirs, so it keeps running while the lead's reply is under
    /// review; a later round (the citizen unsatisfied, a return visit) is the lead's own handling again.
    /// </summary>
    public static DateTimeOffset? PartDue(Matter m) =>
        m.IsTerminal || m.Assignment is null ? null
            : m.CoOrganizerParts.Where(p => !p.Submitted && p.Round == m.HandlingRound).Select(p => (DateTimeOffset?)p.PartBy).Min();
}

public sealed partial class MatterLifecycle
{
    /// <summary>The parts an assignment asks of its co-organizers, where the profile has the rule; nothing otherwise.</summary>
    private MatterEvent[] PartsOf(MatterDispatched dispatched, DateTimeOffset now)
    {
        if (Profile.CoOrganizers is not { } rule || dispatched.CoOrganizers.Count == 0) return [];
        // Never after the lead's deadline: a part that comes after the lead replied is of no use to it.
        var partBy = Min(Calendar.AddWorkingDays(now, rule.PartWorkingDays), dispatched.Deadlines.DueBy);
        return [new CoOrganizersAssigned(now, Actor.System, dispatched.CoOrganizers, partBy)];
    }

    /// <summary>The dispatch and what it asks of the co-organizers, as one decision.</summary>
    private Decision Dispatched(DateTimeOffset now, params MatterEvent[] events) =>
        Decision.Of([.. events, .. events.OfType<MatterDispatched>().SelectMany(d => PartsOf(d, now))]);

    private Decision SubmitPart(Matter m, SubmitCoOrganizerPart c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Organizer) return NotAllowed(c);
        if (!m.IsCoOrganizer(c.Actor.Id) || m.CoOrganizerParts.FirstOrDefault(p => p.Organizer == c.Actor.Id) is not { } part)
            return Decision.Refuse(NotACoOrganizer, $"Unit '{c.Actor.Id}' owes no part of this matter. ({Profile.CoOrganizers?.Basis ?? "the profile asks no parts of co-organizers"})");
        // Once the lead's reply is accepted the matter's handling is done; a part can no longer shape it.
        if (m.Status is not (MatterStatus.AwaitingSignOff or MatterStatus.Handling or MatterStatus.ReturnRequested or MatterStatus.ReplyUnderReview))
            return Status(m, "given a co-organizer's part");
        if (part.Submitted) return Decision.Refuse(PartAlreadySubmitted, $"Unit '{c.Actor.Id}' submitted its part at {part.SubmittedAt:yyyy-MM-dd HH:mm}.");
        if (string.IsNullOrWhiteSpace(c.Text)) return Invalid("text", "Say what the unit did for its part of the matter.");
        return Decision.Of(new CoOrganizerPartSubmitted(now, c.Actor, c.Text));
    }
}
