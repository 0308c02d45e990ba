using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Orchestrations.Assessment;

/// <summary>Where the latest return application of an assignment stands.</summary>
public enum ReturnOutcome { None, Pending, Refused, Approved }

/// <summary>
/// What one organizer unit did with a matter while the matter was its own: from the dispatch that gave it the matter
/// to the approved return, merge or close that ended it. A returned matter is one assignment of the unit that returned
/// it and a new one of the unit it went to next, so every figure lands on the unit that had the matter at the time.
/// </summary>
public sealed record AssignmentFacts
{
    public required string MatterId { get; init; }

    /// <summary>1 for the first dispatch of the matter, 2 after a return and reassignment, and so on.</summary>
    public required int Number { get; init; }

    public required string Organizer { get; init; }
    public required MatterType Type { get; init; }
    public required string Category { get; init; }
    public string? District { get; init; }

    /// <summary>When the unit received the matter: the instant of its dispatch.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    public required DateTimeOffset SignBy { get; init; }
    public DateTimeOffset? SignedAt { get; init; }

    public int ReturnsApplied { get; init; }

    /// <summary>When the latest return application was filed.</summary>
    public DateTimeOffset? ReturnAppliedAt { get; init; }

    public ReturnOutcome Return { get; init; }

    /// <summary>The first-contact deadline, where the profile sets one for the matter's type.</summary>
    public DateTimeOffset? ContactBy { get; init; }

    /// <summary>The unit's first recorded contact with the citizen.</summary>
    public DateTimeOffset? ContactedAt { get; init; }

    /// <summary>
    /// The handling deadline of the first handling, with every extension granted before completion: the limit the
    /// completion is judged against.
    /// </summary>
    public required DateTimeOffset DueBy { get; init; }

    /// <summary>A reply of the first handling that waits for the platform's review, by when it was submitted.</summary>
    public DateTimeOffset? UnderReviewSince { get; init; }

    /// <summary>When the unit submitted the reply that the platform accepted first: the unit's own completion.</summary>
    public DateTimeOffset? RepliedAt { get; init; }

    /// <summary>When the platform accepted that reply.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    public int ExtensionsGranted { get; init; }

    /// <summary>When the platform approved the termination of the matter (Weifang 21).</summary>
    public DateTimeOffset? TerminatedAt { get; init; }

    /// <summary>When staff merged the matter into another one that reports the same thing.</summary>
    public DateTimeOffset? MergedAt { get; init; }

    /// <summary>The citizen's latest evaluation given while the unit had the matter.</summary>
    public EvaluationResult? Evaluation { get; init; }

    /// <summary>How often the matter went back to the unit to be handled again (unsatisfied, or unsolved on a return visit).</summary>
    public int HandledAgain { get; init; }

    /// <summary>Whether supervision started while the unit had the matter, whatever the reason and whether lifted since.</summary>
    public bool Supervised { get; init; }

    /// <summary>What the unit's reply said, for the one accepted first: solved, or explained as not solvable at present (Fujian 20(7)).</summary>
    public ReplyKind ReplyKind { get; init; }

    /// <summary>The parts the co-organizers of this assignment owed (Fujian 16; Weifang 22).</summary>
    public IReadOnlyList<PartFacts> Parts { get; init; } = [];
}

/// <summary>One co-organizer's part of an assignment: when it was due and when, if ever, it was submitted.</summary>
public sealed record PartFacts(string Organizer, DateTimeOffset PartBy, DateTimeOffset? SubmittedAt = null);

/// <summary>
/// The facts of one matter that reports are made of, derived from its events alone, so each figure can be traced back
/// to the matters (and their histories) behind it.
/// </summary>
public sealed record MatterFacts
{
    public required string MatterId { get; init; }

    /// <summary>The number of events the facts were derived from: the matter's version.</summary>
    public required int Version { get; init; }

    /// <summary>When the hotline received the matter (the channel's instant).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    public required MatterType Type { get; init; }
    public required string Category { get; init; }
    public string? District { get; init; }

    /// <summary>The address as compared for "the same place" (see <see cref="Places.AddressKey"/>); empty when none.</summary>
    public string AddressKey { get; init; } = "";

    public double? Lat { get; init; }
    public double? Lon { get; init; }

    /// <summary>Not accepted (Fujian 13; Weifang 19): no organizer ever had it.</summary>
    public bool Rejected { get; init; }

    public bool Supervised { get; init; }
    public int HandledAgain { get; init; }
    public IReadOnlyList<AssignmentFacts> Assignments { get; init; } = [];

    /// <summary>
    /// Folds a matter's history into its facts. The history, not the folded <see cref="Matter"/>, is read because the
    /// state keeps only the current assignment's sign-off and deadlines: a reassignment erases what the previous unit
    /// did, and that is exactly what its assessment needs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The history is empty or does not start with <see cref="MatterSubmitted"/>.</exception>
    public static MatterFacts From(IEnumerable<MatterEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        MatterFacts? matter = null;
        var assignments = new List<AssignmentFacts>();
        var current = -1;
        var version = 0;

        void Update(Func<AssignmentFacts, AssignmentFacts> change)
        {
            if (current >= 0) assignments[current] = change(assignments[current]);
        }

        foreach (var e in history)
        {
            version++;
            if (matter is null)
            {
                matter = e is MatterSubmitted s
                    ? new MatterFacts
                    {
                        MatterId = s.MatterId,
                        Version = 0,
                        ReceivedAt = s.Intake.ReceivedAt,
                        Type = s.Intake.Type,
                        Category = s.Intake.Category,
                        District = s.Intake.Location.District,
                        AddressKey = Places.AddressKey(s.Intake.Location.Address),
                        Lat = s.Intake.Location.Lat,
                        Lon = s.Intake.Location.Lon,
                    }
                    : throw new InvalidOperationException($"A matter's history must start with {nameof(MatterSubmitted)}, not {e.GetType().Name}.");
                continue;
            }

            switch (e)
            {
                case MatterRejected:
                    matter = matter with { Rejected = true };
                    break;
                case MatterDispatched d:
                    assignments.Add(new AssignmentFacts
                    {
                        MatterId = matter.MatterId,
                        Number = assignments.Count + 1,
                        Organizer = d.Organizer,
                        Type = matter.Type,
                        Category = matter.Category,
                        District = matter.District,
                        ReceivedAt = d.At,
                        SignBy = d.Deadlines.SignBy,
                        ContactBy = d.Deadlines.ContactBy,
                        DueBy = d.Deadlines.DueBy,
                    });
                    current = assignments.Count - 1;
                    break;
                case MatterSigned x:
                    Update(a => a.SignedAt is null ? a with { SignedAt = x.At } : a);
                    break;
                case ReturnApplied x:
                    Update(a => a with { ReturnsApplied = a.ReturnsApplied + 1, ReturnAppliedAt = x.At, Return = ReturnOutcome.Pending });
                    break;
                case ReturnRefused:
                    Update(a => a with { Return = ReturnOutcome.Refused });
                    break;
                case ReturnApproved:
                    Update(a => a with { Return = ReturnOutcome.Approved });
                    current = -1;
                    break;
                case CitizenContacted x:
                    Update(a => a.ContactedAt is null ? a with { ContactedAt = x.At } : a);
                    break;
                case ExtensionApproved x:
                    // An extension of a later handling round moves that round's deadline, not the one the completion was judged by.
                    Update(a => a with { ExtensionsGranted = a.ExtensionsGranted + 1, DueBy = a.CompletedAt is null ? x.DueBy : a.DueBy });
                    break;
                case LongTermEvent x when MatterLongTerm.FreshDueBy(x) is { } due:
                    // Long-term work held the ordinary deadline; the organizer is judged by the fresh one it ended with (Guangzhou; Weifang 23).
                    Update(a => a with { DueBy = a.CompletedAt is null ? due : a.DueBy });
                    break;
                case ReplySubmitted x:
                    Update(a => a.CompletedAt is null ? a with { UnderReviewSince = x.At, ReplyKind = x.Kind } : a);
                    break;
                case ReplySentBack:
                    Update(a => a.CompletedAt is null ? a with { UnderReviewSince = null } : a);
                    break;
                case ReplyAccepted x:
                    Update(a => a.CompletedAt is null ? a with { CompletedAt = x.At, RepliedAt = a.UnderReviewSince ?? x.At, UnderReviewSince = null } : a);
                    break;
                case MatterEvaluated x:
                    Update(a => a with { Evaluation = x.Result });
                    break;
                case HandlingRestarted or MatterReopened:
                    matter = matter with { HandledAgain = matter.HandledAgain + 1 };
                    Update(a => a with { HandledAgain = a.HandledAgain + 1 });
                    break;
                case SupervisionStarted:
                    matter = matter with { Supervised = true };
                    Update(a => a with { Supervised = true });
                    break;
                case TerminationApproved x:
                    Update(a => a with { TerminatedAt = x.At });
                    break;
                case MatterMerged x:
                    Update(a => a with { MergedAt = x.At });
                    break;
                case CoOrganizersAssigned x:
                    Update(a => a with { Parts = [.. x.CoOrganizers.Select(co => new PartFacts(co, x.PartBy))] });
                    break;
                case CoOrganizerPartSubmitted x:
                    Update(a => a with { Parts = [.. a.Parts.Select(p => p.Organizer == x.Actor.Id && p.SubmittedAt is null ? p with { SubmittedAt = x.At } : p)] });
                    break;
                default:
                    // Alarms, reminders, return visits that found the matter solved, refused applications: nothing the
                    // assessment counts beyond what the events above already carry.
                    break;
            }
        }

        return (matter ?? throw new InvalidOperationException("Empty history.")) with { Version = version, Assignments = assignments };
    }
}
