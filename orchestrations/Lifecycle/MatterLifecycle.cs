using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Lifecycle.RefusalCodes;

namespace Hotline.Orchestrations.Lifecycle;

/// <summary>
/// The rules of a matter's life under one regulation profile: <c>Decide(state, command, now)</c> returns the events
/// that happen, or a refusal; it never changes anything and reads no clock. Deadlines are computed here, in working
/// time, and carried in the events.
/// </summary>
public sealed partial class MatterLifecycle(RegulationProfile profile, WorkingCalendar calendar)
{
    public RegulationProfile Profile { get; } = profile;
    public WorkingCalendar Calendar { get; } = calendar;

    public static MatterLifecycle For(RegulationProfile profile, HolidayCalendar holidays) =>
        new(profile, new WorkingCalendar(holidays, profile.Schedule));

    /// <summary>Decides and folds: the new state is null when the command was refused.</summary>
    public (Decision Decision, Matter? State) Apply(Matter? state, MatterCommand command, DateTimeOffset now)
    {
        var decision = Decide(state, command, now);
        return decision.Accepted ? (decision, decision.Events.Aggregate(state, (s, e) => Matter.Evolve(s, e))) : (decision, null);
    }

    public Decision Decide(Matter? state, MatterCommand command, DateTimeOffset now)
    {
        now = ChinaTime.ToChina(now);
        if (command is SubmitMatter submit)
        {
            return state is null ? Submit(submit, now) : Decision.Refuse(MatterExists, $"Matter {state.Id} already exists.");
        }
        if (state is null)
        {
            return Decision.Refuse(MatterMissing, "There is no such matter.");
        }
        if (command is AbsorbDuplicate absorb)
        {
            // A closed matter still records what was merged into it: the history must say where duplicates went.
            return Absorb(state, absorb, now);
        }
        if (command is RecordReturnVisit visit)
        {
            // Return visits happen after the close, so they are the one command a closed matter takes.
            return ReturnVisit(state, visit, now);
        }
        if (state.IsTerminal)
        {
            return command is FireAlarm
                ? Decision.Refuse(AlarmStale, "The matter is closed; the alarm is stale.")
                : Decision.Refuse(WrongStatus, $"The matter is {state.Status} and takes no more commands.");
        }

        if (HeldClockRefusal(state, command) is { } held) return held;

        return command switch
        {
            RejectMatter c => Reject(state, c, now),
            AnswerOnTheSpot c => Answer(state, c, now),
            DispatchMatter c => Dispatch(state, c, now),
            SignMatter c => Sign(state, c, now),
            ApplyForReturn c => ApplyReturn(state, c, now),
            DecideReturn c => DecideReturn(state, c, now),
            RecordContact c => Contact(state, c, now),
            ApplyForExtension c => ApplyExtension(state, c, now),
            DecideExtension c => DecideExtension(state, c, now),
            ApplyForTermination c => ApplyTermination(state, c, now),
            DecideTermination c => DecideTermination(state, c, now),
            SubmitReply c => Reply(state, c, now),
            ReviewReply c => Review(state, c, now),
            EvaluateMatter c => Evaluate(state, c, now),
            VerifyEvaluation c => Verify(state, c, now),
            PutUnderSupervision c => Supervise(state, c, now),
            LiftSupervision c => Lift(state, c, now),
            FireAlarm c => Fire(state, c, now),
            MergeInto c => Merge(state, c, now),
            FlagPossibleDuplicates c => FlagDuplicates(state, c, now),
            RemindOrganizer c => Remind(state, c, now),
            RecomputeDeadlines c => Recompute(state, c, now),
            LongTermCommand c => DecideLongTerm(state, c, now),
            SubmitCoOrganizerPart c => SubmitPart(state, c, now),
            _ => throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command)),
        };
    }

    private Decision Submit(SubmitMatter c, DateTimeOffset now)
    {
        if (c.Actor.Kind is not (ActorKind.Channel or ActorKind.Staff)) return NotAllowed(c);
        var i = c.Intake;
        if (string.IsNullOrWhiteSpace(c.MatterId)) return Invalid("matterId", "A matter needs an id.");
        if (string.IsNullOrWhiteSpace(i.ChannelRef)) return Invalid("channelRef", "The channel's own reference is required.");
        if (string.IsNullOrWhiteSpace(i.Title)) return Invalid("title", "A matter needs a title.");
        if (string.IsNullOrWhiteSpace(i.Description)) return Invalid("description", "A matter needs a description.");
        if (string.IsNullOrWhiteSpace(i.Category)) return Invalid("category", "A matter needs a category.");
        if (string.IsNullOrWhiteSpace(i.Citizen.Phone) && string.IsNullOrWhiteSpace(i.Citizen.Email))
            return Invalid("citizen.phone", "The citizen's contact phone (or e-mail) is required (Weifang 11).");
        if (i.ReceivedAt > now) return Invalid("receivedAt", "A matter cannot be received in the future.");

        var receivedAt = ChinaTime.ToChina(i.ReceivedAt);
        var dispatchBy = Calendar.AddWorkingDays(receivedAt, Profile.Dispatch.WorkingDays);
        var submitted = new MatterSubmitted(now, c.Actor, c.MatterId, i with { ReceivedAt = receivedAt }, dispatchBy,
            Calendar.UncoveredYears(receivedAt, dispatchBy), c.PossibleDuplicates?.Where(d => d != c.MatterId).Distinct().ToArray() ?? []);
        if (c.AutoDispatch is not { } route) return Decision.Of(submitted);

        // Urgent matters and certain routes go to the organizer in the same commit: no window in which a crash
        // leaves an urgent matter waiting for a dispatcher (Fujian 14: "distributed immediately").
        return Assign(Matter.Evolve(null, submitted), Actor.System, route.Organizer, route.CoOrganizers, designated: false, null, now, out var dispatched)
            ?? Dispatched(now, submitted, dispatched!);
    }

    private static Decision Remind(Matter m, RemindOrganizer c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.Organizer is not { } unit) return Status(m, "reminded (it has no organizer yet)");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Say what the organizer is reminded of.");
        return Decision.Of(new OrganizerReminded(now, c.Actor, unit, c.Note));
    }

    private Decision ReturnVisit(Matter m, RecordReturnVisit c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.Status != MatterStatus.Closed || m.Organizer is null) return Status(m, "visited (only closed, handled matters are)");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Record what the citizen said.");
        var visited = new ReturnVisitRecorded(now, c.Actor, c.Solved, c.Note);
        if (c.Solved) return Decision.Of(visited);
        var (dueBy, cutoff) = HandlingClock(now, m.LimitWorkingDays);
        return Decision.Of(visited, new MatterReopened(now, Actor.System, m.HandlingRound + 1, dueBy, cutoff, Calendar.UncoveredYears(now, dueBy)));
    }

    private static Decision Merge(Matter m, MergeInto c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (string.IsNullOrWhiteSpace(c.Target)) return Invalid("into", "The matter to merge into is required.");
        if (c.Target == m.Id) return Invalid("into", "A matter cannot be merged into itself.");
        return Decision.Of(new MatterMerged(now, c.Actor, c.Target, c.Note));
    }

    private static Decision FlagDuplicates(Matter m, FlagPossibleDuplicates c, DateTimeOffset now)
    {
        if (c.Actor.Kind is not (ActorKind.Staff or ActorKind.System)) return NotAllowed(c);
        var fresh = c.Matters.Where(d => !string.IsNullOrWhiteSpace(d) && d != m.Id && !m.PossibleDuplicates.Contains(d)).Distinct().ToArray();
        // A search repeated after a crash finds what it found before: nothing new is nothing to record.
        return fresh.Length == 0
            ? Decision.Refuse(DuplicatesKnown, "Every matter found is already listed as a possible duplicate.")
            : Decision.Of(new PossibleDuplicatesFlagged(now, c.Actor, fresh));
    }

    private static Decision Absorb(Matter m, AbsorbDuplicate c, DateTimeOffset now)
    {
        if (c.Actor.Kind is not (ActorKind.Staff or ActorKind.System)) return NotAllowed(c);
        if (m.AbsorbedDuplicates.Contains(c.Duplicate)) return Decision.Refuse(DuplicateKnown, $"{c.Duplicate} is already merged into {m.Id}.");
        return Decision.Of(new DuplicateAbsorbed(now, c.Actor, c.Duplicate));
    }

    private Decision Reject(Matter m, RejectMatter c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.Status != MatterStatus.AwaitingDispatch) return Status(m, "rejected");
        var reason = Profile.NonAcceptanceReason(c.ReasonCode);
        return reason is null
            ? Decision.Refuse(UnknownRejectionReason, $"'{c.ReasonCode}' is not a non-acceptance reason of profile {Profile.Id}.")
            : Decision.Of(new MatterRejected(now, c.Actor, reason.Code, reason.Basis, c.Note));
    }

    private static Decision Answer(Matter m, AnswerOnTheSpot c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.Status != MatterStatus.AwaitingDispatch) return Status(m, "answered on the spot");
        if (m.Intake.Type != MatterType.Consultation)
            return Decision.Refuse(NotAConsultation, "Only consultations are answered on the spot (Weifang 18; Fujian 14); other matters go to an organizer.");
        if (string.IsNullOrWhiteSpace(c.Answer)) return Invalid("answer", "The answer is empty.");
        return Decision.Of(new AnsweredOnTheSpot(now, c.Actor, c.Answer, c.ArticleId));
    }

    private Decision Dispatch(Matter m, DispatchMatter c, DateTimeOffset now)
    {
        if (c.Actor.Kind is not (ActorKind.Staff or ActorKind.System)) return NotAllowed(c);
        if (m.Status != MatterStatus.AwaitingDispatch) return Status(m, "dispatched");
        return Assign(m, c.Actor, c.Organizer, c.CoOrganizers, c.Designated, c.StatutoryLimitWorkingDays, now, out var dispatched)
            ?? Dispatched(now, dispatched!);
    }

    /// <summary>Validates an assignment and computes its deadlines; returns a refusal or null with the event.</summary>
    private Decision? Assign(Matter m, Actor actor, string organizer, IReadOnlyList<string> coOrganizers, bool designated,
        int? statutoryLimit, DateTimeOffset now, out MatterDispatched? dispatched)
    {
        dispatched = null;
        if (string.IsNullOrWhiteSpace(organizer)) return Invalid("organizer", "A lead organizer is required.");
        if (coOrganizers.Any(string.IsNullOrWhiteSpace)) return Invalid("coOrganizers", "Co-organizer ids must not be empty.");
        if (coOrganizers.Contains(organizer, StringComparer.Ordinal))
            return Decision.Refuse(LeadIsCoOrganizer, "The lead organizer cannot also be a co-organizer.");
        if (statutoryLimit is < 0) return Invalid("statutoryLimitWorkingDays", "A statutory limit cannot be negative.");
        if (statutoryLimit > RegulationProfile.MaxWorkingDays)
            return Invalid("statutoryLimitWorkingDays", $"At most {RegulationProfile.MaxWorkingDays} working days.");

        var limit = Profile.EffectiveLimit(Profile.HandlingLimitFor(m.Intake.Type, m.Intake.Urgency, m.Intake.Category).WorkingDays, statutoryLimit);
        var (dueBy, cutoff) = HandlingClock(now, limit);
        var (signBy, reminderAt) = SignOffClock(now, limit, dueBy);
        var returnBy = Calendar.AddWorkingDays(now, Profile.Return.WorkingDays);
        DateTimeOffset? contactBy = Profile.FirstContactFor(m.Intake.Type) is { } contact ? Calendar.AddWorkingDays(now, contact.WorkingDays) : null;
        if (limit == 0)
        {
            // A same-day matter (Fujian 14, 20(5)): every other clock ends by the handling deadline, never after it.
            returnBy = Min(returnBy, dueBy);
            contactBy = contactBy is { } c ? Min(c, dueBy) : null;
        }
        var latest = new[] { signBy, returnBy, contactBy ?? dueBy, dueBy }.Max();
        dispatched = new MatterDispatched(now, actor, organizer, coOrganizers.Distinct().ToArray(), designated, limit,
            new AssignmentDeadlines(signBy, reminderAt, returnBy, contactBy, dueBy, cutoff),
            Calendar.UncoveredYears(now, latest));
        return null;
    }

    /// <summary>
    /// The handling deadline and extension cutoff of a limit that starts at <paramref name="from"/>: whole working days
    /// under the Civil Code, cut off one working session before; or, for a same-day limit (0 days), the profile's
    /// same-day window in calendar or working time with the cutoff halfway, so that it is never already past.
    /// </summary>
    private (DateTimeOffset DueBy, DateTimeOffset Cutoff) HandlingClock(DateTimeOffset from, int limit)
    {
        if (limit > 0)
        {
            var due = Calendar.AddWorkingDays(from, limit);
            return (due, Cutoff(due));
        }
        var rule = Profile.SameDay;
        return (After(from, rule.Window, rule.RoundTheClock), After(from, rule.Window / 2, rule.RoundTheClock));
    }

    /// <summary>
    /// The sign-off deadline and its reminder for a clock started at <paramref name="from"/>: the profile's window in working
    /// time; for a same-day matter the same-day rule's own window (the organizer is phoned to sign, Fujian 14), reminded
    /// halfway at the latest. Neither ends after a handling deadline still ahead.
    /// </summary>
    private (DateTimeOffset SignBy, DateTimeOffset ReminderAt) SignOffClock(DateTimeOffset from, int limit, DateTimeOffset dueBy)
    {
        DateTimeOffset signBy, reminderAt;
        if (limit == 0)
        {
            var rule = Profile.SameDay;
            var lead = Profile.SignOff.ReminderLead < rule.SignOffWindow / 2 ? Profile.SignOff.ReminderLead : rule.SignOffWindow / 2;
            signBy = After(from, rule.SignOffWindow, rule.RoundTheClock);
            reminderAt = After(from, rule.SignOffWindow - lead, rule.RoundTheClock);
        }
        else
        {
            signBy = Calendar.AddWorkingTime(from, Profile.SignOff.Window);
            reminderAt = Calendar.AddWorkingTime(from, Profile.SignOff.Window - Profile.SignOff.ReminderLead);
        }
        if (dueBy > from) signBy = Min(signBy, dueBy);
        return (signBy, Min(reminderAt, signBy));
    }

    private bool RoundTheClock(Matter m) => m.LimitWorkingDays == 0 && Profile.SameDay.RoundTheClock;

    private DateTimeOffset After(DateTimeOffset from, TimeSpan span, bool roundTheClock) =>
        roundTheClock ? ChinaTime.ToChina(from + span) : Calendar.AddWorkingTime(from, span);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static Decision Sign(Matter m, SignMatter c, DateTimeOffset now)
    {
        if (!IsLead(m, c.Actor)) return NotLead(m, c);
        if (m.Status != MatterStatus.AwaitingSignOff) return Status(m, "signed");
        return Decision.Of(new MatterSigned(now, c.Actor));
    }

    private Decision ApplyReturn(Matter m, ApplyForReturn c, DateTimeOffset now)
    {
        if (!IsLead(m, c.Actor)) return NotLead(m, c);
        if (m.Status is not (MatterStatus.AwaitingSignOff or MatterStatus.Handling) || m.HandlingRound > 1) return Status(m, "returned");
        if (m.Assignment!.Designated && !Profile.Return.DesignatedUnitMayReturn)
            return Decision.Refuse(DesignatedUnitMayNotReturn, $"The platform designated this unit; it may not return the matter. ({Profile.Return.Basis})");
        if (now > m.Deadlines.ReturnBy)
            return Decision.Refuse(ReturnWindowClosed, $"A return had to be applied for by {m.Deadlines.ReturnBy:yyyy-MM-dd HH:mm}. ({Profile.Return.Basis})");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Invalid("reason", "A return needs its reasons and basis.");
        return Decision.Of(new ReturnApplied(now, c.Actor, c.Reason));
    }

    private Decision DecideReturn(Matter m, DecideReturn c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.Status != MatterStatus.ReturnRequested) return Status(m, "decided as a return");
        if (!c.Approve)
        {
            var refused = new ReturnRefused(now, c.Actor, c.Note);
            if (m.StatusBeforeReturn == MatterStatus.AwaitingSignOff && m.Deadlines.DueBy is { } due)
            {
                // The unit answered the assignment with a return instead of signing; refused, it signs now, with a fresh
                // sign-off window from the decision rather than one that ran out while the platform decided.
                var (signBy, reminderAt) = SignOffClock(now, m.LimitWorkingDays, due);
                refused = refused with { SignBy = signBy, SignOffReminderAt = reminderAt };
            }
            return Profile.Return.SuperviseWhenRefused
                ? Decision.Of(refused, new SupervisionStarted(now, Actor.System, SupervisionReason.RefusedWithinDuties, c.Note))
                : Decision.Of(refused);
        }

        var approved = new ReturnApproved(now, c.Actor, c.Note, Calendar.AddWorkingDays(now, Profile.Dispatch.WorkingDays));
        if (c.ReassignTo is null) return Decision.Of(approved);
        if (c.ReassignTo == m.Organizer) return Invalid("reassignTo", "A returned matter is reassigned to another unit.");
        var afterReturn = Matter.Evolve(m, approved);
        return Assign(afterReturn, c.Actor, c.ReassignTo, c.CoOrganizers ?? [], c.Designated, null, now, out var dispatched)
            ?? Dispatched(now, approved, dispatched!);
    }

    private static Decision Contact(Matter m, RecordContact c, DateTimeOffset now)
    {
        if (!IsLead(m, c.Actor)) return NotLead(m, c);
        if (m.Status != MatterStatus.Handling) return Status(m, "contacted (sign the matter first)");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Say how the citizen was contacted and what was agreed.");
        return Decision.Of(new CitizenContacted(now, c.Actor, c.Note));
    }

    private Decision ApplyExtension(Matter m, ApplyForExtension c, DateTimeOffset now)
    {
        if (!IsLead(m, c.Actor)) return NotLead(m, c);
        if (m.Status != MatterStatus.Handling) return Status(m, "extended");
        var rule = Profile.Extension;
        if (m.PendingExtension is not null) return Decision.Refuse(ExtensionPending, "An extension application is already waiting for a decision.");
        if (now > m.Deadlines.ExtensionCutoff)
            return Decision.Refuse(ExtensionAfterCutoff,
                $"Extensions must be filed no later than half a working day before the deadline, by {m.Deadlines.ExtensionCutoff:yyyy-MM-dd HH:mm}. ({rule.Basis})");
        if (m.ExtensionsCounted >= rule.MaxCount)
            return Decision.Refuse(ExtensionTooMany, $"At most {rule.MaxCount} extension(s) per handling. ({rule.Basis})");
        if (c.WorkingDays < 1) return Invalid("workingDays", "An extension is at least 1 working day.");
        if (c.WorkingDays > RegulationProfile.MaxWorkingDays) return Invalid("workingDays", $"At most {RegulationProfile.MaxWorkingDays} working days.");
        if (rule.MaxLengthIsOriginalLimit && c.WorkingDays > m.LimitWorkingDays)
            return Decision.Refuse(ExtensionTooLong, $"An extension may not exceed the original limit of {m.LimitWorkingDays} working day(s). ({rule.Basis})");
        // The reading written down in the profiles (extension.totalMaxIsOriginalLimit): the cap is on the time added, so a
        // second extension gets at most what the first left of the original limit.
        if (rule.TotalMaxIsOriginalLimit && m.ExtensionDaysCounted + c.WorkingDays > m.LimitWorkingDays)
            return Decision.Refuse(ExtensionTooLong,
                $"Together the extensions may not exceed the original limit of {m.LimitWorkingDays} working day(s); {m.ExtensionDaysCounted} already granted or pending. ({rule.Basis})");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Invalid("reason", "An extension needs its reasons.");
        return Decision.Of(new ExtensionApplied(now, c.Actor, c.WorkingDays, c.Reason));
    }

    private Decision DecideExtension(Matter m, DecideExtension c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.PendingExtension is not { } pending) return Decision.Refuse(NoPendingExtension, "No extension application is waiting for a decision.");
        if (m.Deadlines.DueBy is not { } due) return Status(m, "extended (it has no handling deadline)");
        if (!c.Approve) return Decision.Of(new ExtensionRefused(now, c.Actor, c.Note));
        // Counted from the old deadline; from the decision when the platform decided after that deadline had passed, since
        // the organizer applied in time and the platform's delay is not the organizer's.
        var dueBy = Calendar.AddWorkingDays(due > now ? due : now, pending.WorkingDays);
        return Decision.Of(new ExtensionApproved(now, c.Actor, c.Note, dueBy, Cutoff(dueBy), Calendar.UncoveredYears(now, dueBy)));
    }

    private static Decision ApplyTermination(Matter m, ApplyForTermination c, DateTimeOffset now)
    {
        if (!IsLead(m, c.Actor)) return NotLead(m, c);
        if (m.Status != MatterStatus.Handling) return Status(m, "terminated");
        if (m.PendingTermination is not null) return Decision.Refuse(TerminationPending, "A termination application is already waiting for a decision.");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Invalid("reason", "A termination needs its written reasons (Weifang 21).");
        return Decision.Of(new TerminationApplied(now, c.Actor, c.Reason));
    }

    private static Decision DecideTermination(Matter m, DecideTermination c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.PendingTermination is null) return Decision.Refuse(NoPendingTermination, "No termination application is waiting for a decision.");
        return c.Approve
            ? Decision.Of(new TerminationApproved(now, c.Actor, c.Note))
            : Decision.Of(new TerminationRefused(now, c.Actor, c.Note));
    }

    private Decision Reply(Matter m, SubmitReply c, DateTimeOffset now)
    {
        if (!IsLead(m, c.Actor)) return NotLead(m, c);
        if (m.Status != MatterStatus.Handling) return Status(m, "replied to (sign the matter first)");
        if (string.IsNullOrWhiteSpace(c.Text)) return Invalid("text", "The reply is empty.");
        if (c.Evidence.Any(e => !IsPhotoOrVideo(e.ContentType) || e.Bytes <= 0 || string.IsNullOrWhiteSpace(e.Blob)))
            return Decision.Refuse(EvidenceType, "Evidence must be stored photos or videos.");
        if (ReplyKindRefusal(m, c) is { } refused) return refused;
        if (c.Evidence.Count == 0 && Profile.EvidenceRequired(m.Intake.Type))
            return Decision.Refuse(EvidenceRequired, $"A reply to a {m.Intake.Type} matter carries photo or video evidence. ({Profile.Reply.Basis})");
        return Decision.Of(new ReplySubmitted(now, c.Actor, c.Text, c.Evidence, c.Kind));
    }

    private Decision Review(Matter m, ReviewReply c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.Status != MatterStatus.ReplyUnderReview) return Status(m, "reviewed");
        if (c.Accept)
            return Decision.Of(new ReplyAccepted(now, c.Actor, c.Note, Calendar.AddWorkingDays(now, Profile.Evaluation.WindowWorkingDays)));
        var sentBack = Resumed(m, new ReplySentBack(now, c.Actor, c.Note), now);
        return m.SentBackCount + 1 >= Profile.Rehandling.SuperviseAtSentBackCount && !ActiveFor(m, SupervisionReason.SentBackTwice)
            ? Decision.Of(sentBack, new SupervisionStarted(now, Actor.System, SupervisionReason.SentBackTwice, null))
            : Decision.Of(sentBack);
    }

    /// <summary>
    /// A reply under review stops the organizer's clock (as SLA engines pause a ticket waiting on someone else): each
    /// deadline still ahead when the reply came moves on by the review's duration, measured in the clock it was set in,
    /// so the organizer resumes with the time it had left. Deadlines already passed stay where they were.
    /// </summary>
    private ReplySentBack Resumed(Matter m, ReplySentBack sentBack, DateTimeOffset now)
    {
        if (m.LatestReply is not { } reply) return sentBack;
        var paused = reply.At;
        var roundTheClock = RoundTheClock(m);
        DateTimeOffset? Resume(DateTimeOffset? deadline) => deadline is { } at && at > paused
            ? roundTheClock ? ChinaTime.ToChina(now + (at - paused)) : Calendar.AddWorkingTime(now, Calendar.WorkingTimeBetween(paused, at))
            : null;
        var d = m.Deadlines;
        return sentBack with
        {
            ReturnBy = m.HandlingRound == 1 ? Resume(d.ReturnBy) : null,
            ContactBy = m.ContactedAt is null ? Resume(d.ContactBy) : null,
            DueBy = Resume(d.DueBy),
            ExtensionCutoff = Resume(d.ExtensionCutoff),
        };
    }

    private static Decision Evaluate(Matter m, EvaluateMatter c, DateTimeOffset now)
    {
        if (c.Actor.Kind is not (ActorKind.Channel or ActorKind.Citizen or ActorKind.Staff)) return NotAllowed(c);
        if (m.Status != MatterStatus.AwaitingEvaluation) return Status(m, "evaluated");
        if (now > m.Deadlines.EvaluationBy)
            return Decision.Refuse(EvaluationWindowClosed, $"The evaluation window closed at {m.Deadlines.EvaluationBy:yyyy-MM-dd HH:mm}.");
        var evaluated = new MatterEvaluated(now, c.Actor, c.Result, c.Comment);
        // Unsatisfied waits for staff to verify who is responsible (VerifyEvaluation, Fujian 22).
        return c.Result == EvaluationResult.Unsatisfied
            ? Decision.Of(evaluated)
            : Decision.Of(evaluated, new MatterClosed(now, Actor.System, Closure.Evaluated));
    }

    /// <summary>
    /// Fujian 22: an unsatisfied matter is handled again once it is verified that the organizer is responsible, and put
    /// under supervision when that happens again; otherwise it closes with the unsatisfied evaluation on record.
    /// </summary>
    private Decision Verify(Matter m, VerifyEvaluation c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (m.Status != MatterStatus.AwaitingVerification) return Status(m, "verified (only an unsatisfied evaluation is)");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", $"Say what the verification found. ({Profile.Rehandling.Basis})");
        var verified = new EvaluationVerified(now, c.Actor, c.OrganizerResponsible, c.Note);
        if (!c.OrganizerResponsible) return Decision.Of(verified, new MatterClosed(now, Actor.System, Closure.Evaluated));

        var (dueBy, cutoff) = HandlingClock(now, m.LimitWorkingDays);
        var events = new List<MatterEvent>
        {
            verified,
            new HandlingRestarted(now, Actor.System, m.HandlingRound + 1, dueBy, cutoff, Calendar.UncoveredYears(now, dueBy)),
        };
        // The pending evaluation is counted as the organizer's now (UnsatisfiedByOrganizerCount still reads it as unverified).
        if (m.UnsatisfiedByOrganizerCount >= Profile.Rehandling.SuperviseAtUnsatisfiedCount && !ActiveFor(m, SupervisionReason.UnsatisfiedTwice))
            events.Add(new SupervisionStarted(now, Actor.System, SupervisionReason.UnsatisfiedTwice, null));
        return new Decision(events, null);
    }

    private static Decision Supervise(Matter m, PutUnderSupervision c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Say why the matter is put under supervision.");
        return Decision.Of(new SupervisionStarted(now, c.Actor, SupervisionReason.StaffDecision, c.Note));
    }

    private static Decision Lift(Matter m, LiftSupervision c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (!m.Supervised) return Decision.Refuse(NotSupervised, "The matter is not under supervision.");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Invalid("reason", "Say why supervision is lifted.");
        return Decision.Of(new SupervisionLifted(now, c.Actor, c.Reason));
    }

    private Decision Fire(Matter m, FireAlarm c, DateTimeOffset now)
    {
        var alarm = c.Alarm;
        if (!MatterAlarms.Of(m).Contains(alarm)) return Decision.Refuse(AlarmStale, $"{alarm.Kind} at {alarm.At:O} is no longer pending.");
        if (now < alarm.At) return Decision.Refuse(AlarmNotDue, $"{alarm.Kind} is due at {alarm.At:O}.");

        var fired = new AlarmFired(now, Actor.System, alarm);
        var rule = Profile.Supervision;
        return alarm.Kind switch
        {
            AlarmKind.SignOffOverdue when rule.OnSignOffOverdue => FiredAndSupervised(SupervisionReason.SignOffOverdue),
            AlarmKind.ContactDue when rule.OnContactOverdue => FiredAndSupervised(SupervisionReason.ContactOverdue),
            AlarmKind.HandlingDue when rule.OnHandlingOverdue => FiredAndSupervised(SupervisionReason.HandlingOverdue),
            AlarmKind.EvaluationWindowEnd => Decision.Of(fired, new MatterClosed(now, Actor.System, Closure.EvaluationWindowLapsed)),
            _ => Decision.Of(fired),
        };

        Decision FiredAndSupervised(SupervisionReason reason) =>
            ActiveFor(m, reason) ? Decision.Of(fired) : Decision.Of(fired, new SupervisionStarted(now, Actor.System, reason, null, Since: alarm.At));
    }

    /// <summary>The extension cutoff: the profile's number of whole working sessions before the deadline.</summary>
    private DateTimeOffset Cutoff(DateTimeOffset dueBy)
    {
        var cutoff = dueBy;
        for (var i = 0; i < Profile.Extension.CutoffSessionsBefore; i++) cutoff = Calendar.ExtensionCutoff(cutoff);
        return cutoff;
    }

    private static bool ActiveFor(Matter m, SupervisionReason reason) => m.Supervision.Any(s => s.Reason == reason && s.LiftedAt is null);

    private static bool IsPhotoOrVideo(string contentType) =>
        contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase);

    private static bool IsLead(Matter m, Actor actor) => actor.Kind == ActorKind.Organizer && actor.Id == m.Organizer;

    private static Decision NotLead(Matter m, MatterCommand c) =>
        c.Actor.Kind == ActorKind.Organizer
            ? Decision.Refuse(NotTheOrganizer, $"Unit '{c.Actor.Id}' is not the matter's lead organizer.")
            : NotAllowed(c);

    private static Decision NotAllowed(MatterCommand c) =>
        Decision.Refuse(ActorNotAllowed, $"{c.GetType().Name} is not for a {c.Actor.Kind} actor.");

    private static Decision Status(Matter m, string what) =>
        Decision.Refuse(WrongStatus, $"A matter that is {m.Status} cannot be {what}.");

    private static Decision Invalid(string field, string message) => Decision.Refuse(InvalidInput, $"{field}: {message}");
}
