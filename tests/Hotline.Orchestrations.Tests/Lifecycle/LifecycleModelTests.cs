using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using Xunit.Abstractions;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>
/// No command sequence can break a matter. FsCheck generates whole lives: a submitted matter, then random commands of
/// every kind in <c>Commands.cs</c>, by the right and the wrong actors, with random jumps of time in between; the
/// runtime's part is modelled by delivering every alarm that falls due before the next command. After every decision
/// the invariants below must hold. A failure is shrunk to a short sequence, which then becomes a named test in
/// <see cref="LifecycleRegressionTests"/>.
/// </summary>
public sealed class LifecycleModelTests(ITestOutputHelper output)
{
    /// <summary>Sequences per profile; with four profiles, thousands in all.</summary>
    private const int SequencesPerProfile = 1000;

    public static TheoryData<string> Profiles => new(ProfileCatalog.Ids.Order());

    [Theory]
    [MemberData(nameof(Profiles))]
    public void No_command_sequence_breaks_a_matter(string profile)
    {
        var lifecycle = MatterLifecycle.For(ProfileCatalog.Get(profile), HolidayCalendar.Embedded);
        var steps = 0;
        var reached = new SortedDictionary<MatterStatus, int>();
        var clock = Stopwatch.StartNew();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(SequencesPerProfile).WithQuietOnSuccess(true),
            Prop.ForAll(Scenarios(ProfileCatalog.Get(profile)), scenario =>
            {
                var model = new LifecycleModel(lifecycle);
                steps += model.Run(scenario);
                foreach (var status in model.Reached) reached[status] = reached.GetValueOrDefault(status) + 1;
            }));
        output.WriteLine($"{profile}: {SequencesPerProfile} sequences, {steps} decisions, {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine("sequences reaching each status: " + string.Join(", ", reached.Select(r => $"{r.Key} {r.Value}")));
    }

    // ---- Generators ----

    private static Arbitrary<Scenario> Scenarios(RegulationProfile profile)
    {
        var jump = Gen.Frequency(
            (4, Gen.Constant(0)),
            (5, Gen.Choose(1, 180)),
            (3, Gen.Choose(181, 3 * 1440)),
            (1, Gen.Choose(3 * 1440, 20 * 1440)));
        // Forward moves weigh more, so that sequences reach the late statuses often.
        var command = Gen.Frequency(
            LifecycleModel.Weights.Select(w => (w.Weight, Gen.Constant(w.Kind))).ToArray());
        // Mostly the actor the command is for, often someone else.
        var who = Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 6)));
        var step =
            from j in jump
            from c in command
            from w in who
            from pick in Gen.Choose(0, 99)
            from yes in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            select new ModelStep(j, c, w, pick, yes);
        var categories = profile.FastTrackCategories.Take(1).Append("water-pressure").ToArray();
        var scenario =
            from start in Gen.Choose(0, 360 * 1440)
            from type in Gen.Elements(Enum.GetValues<MatterType>())
            from urgency in Gen.Frequency((3, Gen.Constant(Urgency.Normal)), (1, Gen.Constant(Urgency.Urgent)))
            from category in Gen.Elements(categories)
            from auto in Gen.Elements(true, false)
            from count in Gen.Choose(1, 40)
            from steps in step.ArrayOf(count)
            select new Scenario(start, type, urgency, category, auto, steps);
        return Arb.From(scenario, Shrink);
    }

    /// <summary>Shorter first (drop a step), then simpler (no time jump, the natural actor).</summary>
    private static IEnumerable<Scenario> Shrink(Scenario s)
    {
        for (var i = s.Steps.Length - 1; i >= 0; i--)
            yield return s with { Steps = [.. s.Steps.Take(i), .. s.Steps.Skip(i + 1)] };
        for (var i = 0; i < s.Steps.Length; i++)
        {
            if (s.Steps[i].Jump != 0) yield return s with { Steps = s.Steps.Select((x, k) => k == i ? x with { Jump = 0 } : x).ToArray() };
            if (s.Steps[i].Who != 0) yield return s with { Steps = s.Steps.Select((x, k) => k == i ? x with { Who = 0 } : x).ToArray() };
        }
        if (s.AutoDispatch) yield return s with { AutoDispatch = false };
    }
}

/// <summary>One generated step: how long to wait, then which command, by whom, with which choices.</summary>
public sealed record ModelStep(int Jump, int Command, int Who, int Pick, bool Yes)
{
    public override string ToString() => $"+{Jump}m {LifecycleModel.Names[Command]} who={Who} pick={Pick} {(Yes ? "yes" : "no")}";
}

public sealed record Scenario(int StartMinute, MatterType Type, Urgency Urgency, string Category, bool AutoDispatch, ModelStep[] Steps)
{
    public override string ToString() =>
        $"start +{StartMinute}m {Type}/{Urgency}/{Category}{(AutoDispatch ? " auto" : "")}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Steps);
}

/// <summary>Runs a scenario against the pure lifecycle and checks the invariants after every decision.</summary>
internal sealed class LifecycleModel(MatterLifecycle lifecycle)
{
    public static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, ChinaTime.Offset);

    private const string Lead = Story.Lead;
    private const string Other = Story.Other;
    private const string Co = "street-office";
    private static readonly Actor Staff = Actor.Staff("dispatcher-1");
    private static readonly Actor Channel = Actor.ChannelSystem("call-centre");

    public static readonly string[] Names =
    [
        "submit", "reject", "answer", "dispatch", "sign", "applyReturn", "decideReturn", "contact", "applyExtension",
        "decideExtension", "applyTermination", "decideTermination", "reply", "review", "evaluate", "supervise", "lift",
        "merge", "absorb", "remind", "returnVisit", "firePending", "fireStale", "verifyEvaluation",
        "markLongRunning", "solutionPlan", "stagedFeedback", "endLongRunning", "startLegalProcedure", "endLegalProcedure", "escalate", "escalationOutcome", "coOrganizerPart", "replyExplained",
        "flagDuplicates",
    ];

    public static readonly (int Weight, int Kind)[] Weights =
    [
        (1, 0), (1, 1), (1, 2), (4, 3), (5, 4), (3, 5), (4, 6), (3, 7), (4, 8), (4, 9), (2, 10), (3, 11), (5, 12), (5, 13),
        (5, 14), (1, 15), (1, 16), (1, 17), (1, 18), (1, 19), (2, 20), (2, 21), (1, 22), (4, 23),
        (2, 24), (2, 25), (2, 26), (2, 27), (2, 28), (2, 29), (2, 30), (3, 31), (3, 32), (2, 33),
        (1, 34),
    ];

    private static readonly HashSet<string> Codes = typeof(RefusalCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    private readonly List<MatterEvent> _history = [];
    private Matter? _state;
    private DateTimeOffset _last;

    /// <summary>Every status the matter was in, to show what the generated sequences reach.</summary>
    public HashSet<MatterStatus> Reached { get; } = [];

    /// <summary>Runs the scenario; returns how many decisions it took.</summary>
    public int Run(Scenario s)
    {
        var now = Origin.AddMinutes(s.StartMinute);
        var intake = Story.IntakeOf(s.Type, s.Urgency, s.Category, now);
        var decisions = 0;
        var submitted = Decide(new SubmitMatter(Channel, "M-1", intake, s.AutoDispatch ? new Route(Lead, [Co]) : null), now, ref decisions);
        if (!submitted) throw new InvalidOperationException("The generated intake was refused.");
        foreach (var step in s.Steps)
        {
            now = now.AddMinutes(step.Jump);
            DeliverDueAlarms(now, ref decisions);
            Decide(Build(step, s), now, ref decisions);
        }

        // The stored history, read back from JSON, replays to the same state, field for field.
        var json = JsonSerializer.Serialize<IReadOnlyList<MatterEvent>>(_history, ProfileCatalog.JsonOptions);
        var replayed = Matter.Replay(JsonSerializer.Deserialize<List<MatterEvent>>(json, ProfileCatalog.JsonOptions)!);
        Require(Json(replayed) == Json(_state!), "the history read back from JSON replays to a different state");
        return decisions;
    }

    /// <summary>The runtime's part: every alarm due by <paramref name="now"/> is delivered, in order, and accepted.</summary>
    private void DeliverDueAlarms(DateTimeOffset now, ref int decisions)
    {
        for (var guard = 0; guard < 50 && _state is { } m && MatterAlarms.Next(m) is { } alarm && alarm.At <= now; guard++)
        {
            var at = alarm.At > _last ? alarm.At : _last;
            Require(Decide(new FireAlarm(alarm), at, ref decisions), $"the pending alarm {alarm} was refused when due");
        }
    }

    private bool Decide(MatterCommand command, DateTimeOffset now, ref int decisions)
    {
        decisions++;
        var before = _state;
        Decision decision;
        try
        {
            decision = lifecycle.Decide(before, command, now);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Decide threw on {command} at {now:O}: {ex.GetType().Name}: {ex.Message}", ex);
        }

        if (!decision.Accepted)
        {
            Require(Codes.Contains(decision.Refusal!.Code), $"refusal code '{decision.Refusal.Code}' is not one of RefusalCodes");
            Require(decision.Events.Count == 0, "a refusal carries events");
            Require(!string.IsNullOrWhiteSpace(decision.Refusal.Message), "a refusal without a message");
            return false;
        }

        Require(decision.Events.Count > 0, $"{command} was accepted with no events");
        if (before is { IsTerminal: true })
            Require(command is AbsorbDuplicate || (command is RecordReturnVisit && before.Status == MatterStatus.Closed),
                $"a {before.Status} matter accepted {command.GetType().Name}");
        var after = decision.Events.Aggregate(before, Matter.Evolve)!;
        _history.AddRange(decision.Events);
        _state = after;
        Reached.Add(after.Status);
        _last = ChinaTime.ToChina(now);
        Invariants(before, after, _last, command);
        return true;
    }

    private void Invariants(Matter? before, Matter after, DateTimeOffset now, MatterCommand command)
    {
        string Context() => $"after {command.GetType().Name} at {now:O} ({after.Status})";

        // Folding the history gives the running state (compared in full, through JSON, at the end of the sequence).
        var replayed = Matter.Replay(_history);
        Require(replayed.Status == after.Status && replayed.Deadlines == after.Deadlines && replayed.Organizer == after.Organizer
                && replayed.HandlingRound == after.HandlingRound && replayed.ExtensionsCounted == after.ExtensionsCounted,
            $"replaying the events differs from the running state {Context()}");
        Require(after.Version == _history.Count, $"version {after.Version} for {_history.Count} events {Context()}");

        // Pending applications belong to the current unit and round, and only while the unit is handling.
        foreach (var (what, organizer, round, pending) in new (string, string?, int?, bool)[]
                 {
                     ("extension", after.PendingExtension?.Organizer, after.PendingExtension?.Round, after.PendingExtension is not null),
                     ("termination", after.PendingTermination?.Organizer, null, after.PendingTermination is not null),
                 })
        {
            if (!pending) continue;
            Require(organizer is not null && organizer == after.Organizer, $"a pending {what} of {organizer} while the organizer is {after.Organizer} {Context()}");
            Require(round is null || round == after.HandlingRound, $"a pending {what} of round {round} in round {after.HandlingRound} {Context()}");
            Require(after.Status is MatterStatus.Handling or MatterStatus.ReturnRequested or MatterStatus.ReplyUnderReview || after.IsTerminal,
                $"a pending {what} {Context()}");
        }

        // Parts are owed by the current assignment's co-organizers only, and none is due after the lead's first deadline.
        foreach (var part in after.CoOrganizerParts)
        {
            Require(after.Assignment is null || after.IsCoOrganizer(part.Organizer), $"a part of {part.Organizer}, not a co-organizer {Context()}");
            Require(part.SubmittedAt is null || part.Text is { Length: > 0 }, $"a part submitted without text {Context()}");
        }

        // Every open status has the deadlines it needs, in a sensible order.
        var d = after.Deadlines;
        switch (after.Status)
        {
            case MatterStatus.AwaitingDispatch:
                Require(d.DispatchBy is not null && after.Organizer is null, $"no dispatch deadline {Context()}");
                break;
            case MatterStatus.AwaitingSignOff:
                Require(after.Organizer is not null && d.SignBy is { } signBy && d.SignOffReminderAt is { } remindAt && d.ReturnBy is not null
                        && d.DueBy is { } due && d.ExtensionCutoff is { } cutoff && remindAt <= signBy && cutoff <= due
                        // Sign-off comes before the handling deadline, unless that had passed when the sign-off clock started.
                        && (signBy <= due || due < now),
                    $"sign-off deadlines missing or out of order {Context()}: {d}");
                break;
            case MatterStatus.Handling or MatterStatus.ReturnRequested or MatterStatus.ReplyUnderReview:
                Require(after.Organizer is not null && d.DueBy is { } due2 && d.ExtensionCutoff is { } cutoff2 && cutoff2 <= due2,
                    $"handling deadlines missing or out of order {Context()}: {d}");
                break;
            case MatterStatus.AwaitingEvaluation:
                Require(d.EvaluationBy is not null, $"no evaluation window {Context()}");
                break;
        }

        // A deadline set by this decision is not already past.
        var old = before?.Deadlines ?? new Deadlines();
        foreach (var (name, was, now2) in new (string, DateTimeOffset?, DateTimeOffset?)[]
                 {
                     ("dispatchBy", old.DispatchBy, d.DispatchBy), ("signBy", old.SignBy, d.SignBy), ("signOffReminderAt", old.SignOffReminderAt, d.SignOffReminderAt),
                     ("returnBy", old.ReturnBy, d.ReturnBy), ("contactBy", old.ContactBy, d.ContactBy), ("dueBy", old.DueBy, d.DueBy),
                     ("extensionCutoff", old.ExtensionCutoff, d.ExtensionCutoff), ("evaluationBy", old.EvaluationBy, d.EvaluationBy),
                 })
        {
            if (now2 is { } set && set != was)
                Require(set >= now, $"{name} set to {set:O}, before the decision {Context()}");
        }

        // An alarm is never scheduled in the past: whatever this decision made pending is due now or later.
        var pendingBefore = before is null ? [] : MatterAlarms.Of(before).ToHashSet();
        foreach (var alarm in MatterAlarms.Of(after).Where(a => !pendingBefore.Contains(a)))
            Require(alarm.At >= now, $"alarm {alarm.Kind} scheduled at {alarm.At:O}, in the past {Context()}");
        if (after.IsTerminal) Require(MatterAlarms.Of(after).Count == 0, $"a closed matter has alarms {Context()}");

        // A long-running matter, a legal procedure or an escalation holds the ordinary deadline: only while the organizer
        // handles the matter (or it closed), and its alarms are not pending meanwhile (Guangzhou; Weifang 23).
        if (after.LongTerm.ClockHeld)
        {
            Require(after.Status == MatterStatus.Handling || after.IsTerminal, $"the clock is held by {after.LongTerm.ClockHeldBy} {Context()}");
            Require(!MatterAlarms.Of(after).Any(a => a.Kind is AlarmKind.HandlingDue or AlarmKind.ExtensionCutoff),
                $"the ordinary deadline's alarm is pending while held by {after.LongTerm.ClockHeldBy} {Context()}");
        }
    }

    private MatterCommand Build(ModelStep s, Scenario scenario)
    {
        var m = _state!;
        var lead = Actor.Organizer(m.Organizer ?? Lead);
        Actor Who(Actor natural) => s.Who switch
        {
            0 => natural,
            1 => Staff,
            2 => lead,
            3 => Actor.Organizer(m.Organizer == Other ? Lead : Other),
            4 => Channel,
            5 => Actor.Citizen(),
            _ => Actor.System,
        };
        var unit = (s.Pick % 3) switch { 0 => Lead, 1 => Other, _ => Co };
        var photo = new EvidenceRef("m-1/photo-1.jpg", "image/jpeg", 120_000);
        return s.Command switch
        {
            0 => new SubmitMatter(Who(Channel), "M-1", Story.IntakeOf(scenario.Type, scenario.Urgency, scenario.Category, _last)),
            1 => new RejectMatter(Who(Staff), s.Yes ? lifecycle.Profile.NonAcceptance[s.Pick % lifecycle.Profile.NonAcceptance.Count].Code : "no-such-reason", null),
            2 => new AnswerOnTheSpot(Who(Staff), s.Yes ? "请携带身份证办理" : " ", null),
            3 => new DispatchMatter(Who(Staff), unit, s.Pick % 5 == 0 ? [unit] : [Co == unit ? Other : Co], Designated: s.Pick % 4 == 0,
                StatutoryLimitWorkingDays: (s.Pick % 10) switch { 0 => 0, 1 => 3, 2 => 15, 3 => 400, 4 => -1, 5 => int.MaxValue, _ => null }),
            4 => new SignMatter(Who(lead)),
            5 => new ApplyForReturn(Who(lead), s.Yes ? "不属于本单位职责" : ""),
            6 => new DecideReturn(Who(Staff), s.Yes, null, ReassignTo: (s.Pick % 4) switch { 0 => null, 1 => m.Organizer, _ => m.Organizer == Other ? Lead : Other },
                CoOrganizers: [], Designated: s.Pick % 3 == 0),
            7 => new RecordContact(Who(lead), s.Yes ? "已电话联系" : " "),
            8 => new ApplyForExtension(Who(lead), (s.Pick % 14) switch { 13 => int.MaxValue, 12 => 500, var n => n }, s.Yes ? "需协调" : ""),
            9 => new DecideExtension(Who(Staff), s.Yes, null),
            10 => new ApplyForTermination(Who(lead), s.Yes ? "诉求人拒不配合" : ""),
            11 => new DecideTermination(Who(Staff), s.Yes, null),
            12 => new SubmitReply(Who(lead), "已处理", s.Yes ? [photo] : s.Pick % 7 == 0 ? [photo with { ContentType = "application/pdf" }] : []),
            13 => new ReviewReply(Who(Staff), s.Yes, null),
            14 => new EvaluateMatter(Who(Channel), (EvaluationResult)(s.Pick % 3), null),
            15 => new PutUnderSupervision(Who(Staff), s.Yes ? "群众反映强烈" : ""),
            16 => new LiftSupervision(Who(Staff), s.Yes ? "已整改" : ""),
            17 => new MergeInto(Who(Staff), s.Yes ? "M-0" : "M-1", null),
            18 => new AbsorbDuplicate(Who(Actor.System), "M-" + (2 + s.Pick % 3)),
            19 => new RemindOrganizer(Who(Staff), s.Yes ? "请尽快办理" : ""),
            20 => new RecordReturnVisit(Who(Staff), s.Yes, "回访"),
            // A pending alarm, delivered when due or (pick) early; or one that was never pending.
            21 => MatterAlarms.Of(m) is { Count: > 0 } pending ? new FireAlarm(pending[s.Pick % pending.Count]) : new FireAlarm(new Alarm(AlarmKind.HandlingDue, _last)),
            22 => new FireAlarm(new Alarm((AlarmKind)(s.Pick % Enum.GetValues<AlarmKind>().Length), _last.AddMinutes(-s.Pick))),
            23 => new VerifyEvaluation(Who(Staff), s.Yes, s.Pick % 9 == 0 ? " " : "核实"),
            24 => new MarkLongRunning(Who(Staff), s.Yes ? "city-water-bureau" : " ", "需长期推进"),
            25 => new SubmitSolutionPlan(Who(lead), s.Yes ? "分期推进方案" : ""),
            26 => new GiveStagedFeedback(Who(lead), s.Yes ? "阶段性进展" : " "),
            27 => new EndLongRunning(Who(Staff), s.Yes ? "已解决" : ""),
            28 => new StartLegalProcedure(Who(s.Pick % 2 == 0 ? lead : Staff), (LegalProcedureKind)(s.Pick % 6), s.Yes ? "已进入诉讼" : " "),
            29 => new EndLegalProcedure(Who(s.Pick % 2 == 0 ? lead : Staff), s.Yes ? "判决生效" : ""),
            30 => new EscalateMatter(Who(Staff), s.Yes ? "承办单位无法解决" : " "),
            31 => new RecordEscalationOutcome(Who(Staff), (EscalationOutcome)(s.Pick % 4), s.Yes ? "研究结论" : ""),
            // A co-organizer of the assignment (or, by who, the lead or another unit) gives its part.
            32 => new SubmitCoOrganizerPart(Who(Actor.Organizer(m.Assignment?.CoOrganizers.FirstOrDefault() ?? Co)), s.Yes ? "已核查管网" : " "),
            34 => new FlagPossibleDuplicates(Who(Actor.System), s.Yes ? ["M-" + (2 + s.Pick % 3), "M-1"] : ["M-1", " "]),
            _ => new SubmitReply(Who(lead), "暂无法解决，已向市民解释并引导", s.Yes ? [photo] : [], ReplyKind.ExplainedNotSolvable),
        };
    }

    private static string Json(Matter m) => JsonSerializer.Serialize(m, ProfileCatalog.JsonOptions);

    private static void Require(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException("Invariant broken: " + what);
    }
}
