using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime;
using Hotline.Runtime.Alarms;

namespace Hotline.Api.Tests;

internal enum ReturnState { None, Pending, Refused, Approved }

/// <summary>What the generator did with one assignment, when, and the deadlines the system gave it.</summary>
internal sealed class AssignmentRecord
{
    public required string MatterId { get; init; }
    public required string Organizer { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required DateTimeOffset SignBy { get; init; }
    public DateTimeOffset? ContactBy { get; init; }
    public required DateTimeOffset DueBy { get; set; }
    public required DateTimeOffset ExtensionCutoff { get; init; }
    public DateTimeOffset? SignedAt { get; set; }
    public int ReturnsApplied { get; set; }
    public DateTimeOffset? ReturnAppliedAt { get; set; }
    public ReturnState Return { get; set; }
    public DateTimeOffset? ContactedAt { get; set; }
    public DateTimeOffset? UnderReviewSince { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int Extensions { get; set; }
    public DateTimeOffset? TerminatedAt { get; set; }
    public DateTimeOffset? MergedAt { get; set; }
    public EvaluationResult? Evaluation { get; set; }
    public int HandledAgain { get; set; }

    /// <summary>The first reply said the matter cannot be solved at present (Fujian 20(7)); only after a recorded contact.</summary>
    public bool Explained { get; set; }

    /// <summary>Predicted from what the generator did: a deadline it let pass, a refused return, a second "unsatisfied", a staff decision.</summary>
    public bool Supervised { get; set; }
}

/// <summary>What the generator reported as one matter, and what became of it.</summary>
internal sealed class MatterRecord
{
    public string Id { get; set; } = "";
    public required DateTimeOffset ReceivedAt { get; init; }
    public required MatterType Type { get; init; }
    public required string Category { get; init; }
    public required string District { get; init; }
    public string? Address { get; init; }
    public double? Lat { get; init; }
    public double? Lon { get; init; }

    /// <summary>The site the generator put the matter at (its matters keep coming back there), or null for a place of its own.</summary>
    public int? Site { get; init; }

    public bool Rejected { get; set; }
    public List<AssignmentRecord> Assignments { get; } = [];

    /// <summary>Unsatisfied evaluations so far: the second one puts the matter under supervision (Fujian 22).</summary>
    public int Unsatisfied { get; set; }

    /// <summary>The matter's own dice: scripts run concurrently, and a shared generator would make the month depend on thread timing.</summary>
    public required Random Dice { get; init; }
}

/// <summary>An organizer unit's habits in the simulation: how often it meets each deadline.</summary>
internal sealed record UnitHabits(string Id, double SignOnTime, double ContactOnTime, double ReplyOnTime);

/// <summary>
/// Runs scripts that wait for instants on a shared frozen clock. All scripts due at one instant run together; the
/// clock moves on (and due alarms fire) only when every one of them waits again or has finished. Instants are on a
/// half-hour grid, so several matters act at once and a month runs in seconds.
/// </summary>
internal sealed class SlotScheduler(AdjustableClock clock, DateTimeOffset horizon)
{
    /// <summary>Deadlines fall on whole and half hours (sessions start and end there), so a grid of half hours keeps them apart from actions.</summary>
    public static readonly TimeSpan Grid = TimeSpan.FromMinutes(30);

    private readonly SortedDictionary<DateTimeOffset, List<TaskCompletionSource>> _waiting = [];
    private readonly Lock _gate = new();
    private readonly List<Exception> _failures = [];
    private int _running;
    private TaskCompletionSource _idle = NewIdle();

    public DateTimeOffset Now => clock.GetUtcNow();

    public DateTimeOffset Horizon => horizon;

    public IReadOnlyList<Exception> Failures => _failures;

    /// <summary>Waits for <paramref name="instant"/> (rounded up to the grid); a script whose next step lies past the horizon ends there.</summary>
    public Task At(DateTimeOffset instant)
    {
        var t = RoundUp(instant);
        if (t <= Now) throw new InvalidOperationException($"A script asked for {t:O}, which is not after now ({Now:O}).");
        if (t > horizon) throw new PastHorizonException();
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_waiting.TryGetValue(t, out var list)) _waiting[t] = list = [];
            list.Add(waiter);
            Parked();
        }
        return waiter.Task;
    }

    public void Start(Func<Task> script)
    {
        lock (_gate) _running++;
        _ = RunScriptAsync(script);
    }

    /// <summary>Runs until no script waits any more; before each instant's scripts run, <paramref name="beforeSlot"/> (the clock is already there).</summary>
    public async Task RunAsync(Func<Task> beforeSlot)
    {
        while (true)
        {
            Task idle;
            lock (_gate) idle = _running == 0 ? Task.CompletedTask : _idle.Task;
            await idle;
            List<TaskCompletionSource> due;
            lock (_gate)
            {
                if (_waiting.Count == 0) return;
                var (t, list) = _waiting.First();
                _waiting.Remove(t);
                clock.Set(t);
                _running += list.Count;
                _idle = NewIdle();
                due = list;
            }
            await beforeSlot();
            foreach (var waiter in due) waiter.SetResult();
        }
    }

    public static DateTimeOffset RoundUp(DateTimeOffset t) =>
        new(t.Ticks % Grid.Ticks == 0 ? t.Ticks : t.Ticks - t.Ticks % Grid.Ticks + Grid.Ticks, t.Offset);

    private async Task RunScriptAsync(Func<Task> script)
    {
        try
        {
            await script();
        }
        catch (PastHorizonException)
        {
            // The matter stays where it is when the month's records close.
        }
        catch (Exception ex)
        {
            lock (_gate) _failures.Add(ex);
        }
        finally
        {
            lock (_gate) Parked();
        }
    }

    private void Parked()
    {
        if (--_running == 0) _idle.TrySetResult();
    }

    private static TaskCompletionSource NewIdle() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class PastHorizonException : Exception;
}

/// <summary>
/// A seeded month of matters driven through the real host: channel intake over HTTP, every staff, organizer and citizen
/// command through the one write path, alarms fired by the pump as the frozen clock moves. It records what it did to
/// which matter and when; it never reads back what the system derived beyond the deadlines it was given.
/// </summary>
internal sealed class MonthGenerator
{
    public static readonly Actor Dispatcher = Actor.Staff("dispatcher-1");
    public static readonly Actor CallCentre = Actor.ChannelSystem("call-centre");
    private static readonly EvidenceRef Photo = new("sim/photo.jpg", "image/jpeg", 120_000);

    /// <summary>The smallest step between two actions: one slot of the scheduler.</summary>
    private static readonly TimeSpan Step = SlotScheduler.Grid;

    public static readonly UnitHabits[] Units =
    [
        new("lanhai-water", 0.95, 0.9, 0.9),
        new("housing", 0.8, 0.75, 0.7),
        new("urban-management", 0.6, 0.6, 0.55),
        new("market-regulation", 0.9, 0.85, 0.85),
        new("donghu-gov", 0.75, 0.7, 0.65),
        new("ecology", 0.5, 0.5, 0.5),
    ];

    /// <summary>Category → type and the unit a dispatcher sends it to. water-pressure is routed at intake (a certain route).</summary>
    private static readonly (string Category, MatterType Type, string Unit)[] Kinds =
    [
        ("water-pressure", MatterType.Help, "lanhai-water"),
        ("housing-repair", MatterType.Help, "housing"),
        ("parking", MatterType.Complaint, "urban-management"),
        ("tree-hazard", MatterType.Report, "urban-management"),
        ("shop-dispute", MatterType.Complaint, "market-regulation"),
        ("neighbourhood-dispute", MatterType.Help, "donghu-gov"),
        ("city-suggestion", MatterType.Suggestion, "urban-management"),
        ("policy-question", MatterType.Consultation, "donghu-gov"),
    ];

    private static readonly string[] Districts = ["donghu", "xiling", "nangang", "beitang"];

    /// <summary>
    /// The times of day calls come in, day and night: a few waves rather than any half hour, so that matters received
    /// together act together and the month needs fewer clock steps.
    /// </summary>
    private static readonly TimeSpan[] Waves = [new(8, 30, 0), new(10, 0, 0), new(11, 30, 0), new(14, 0, 0), new(16, 0, 0), new(19, 30, 0), new(23, 0, 0)];

    /// <summary>Places where matters of one category keep coming back: category, district, address, centre.</summary>
    private static readonly (string Category, string District, string Address, double Lat, double Lon)[] Sites =
    [
        ("parking", "donghu", "幸福路12号", 30.2000, 120.1000),
        ("parking", "xiling", "长江路88号", 30.2100, 120.1000),
        ("housing-repair", "nangang", "锦绣小区3栋", 30.2200, 120.1000),
        ("shop-dispute", "beitang", "步行街45号", 30.2300, 120.1000),
        ("tree-hazard", "donghu", "滨河公园东门", 30.2400, 120.1000),
        ("neighbourhood-dispute", "donghu", "和平里7号楼", 30.2500, 120.1000),
        ("water-pressure", "xiling", "望江花园", 30.2600, 120.1000),
        ("parking", "nangang", "中山路1号", 30.2700, 120.1000),
    ];

    private readonly HotlineApp _app;
    private readonly HttpClient _channel;
    private readonly MatterService _matters;
    private readonly AlarmPump _pump;
    private readonly SlotScheduler _sim;
    private readonly Random _rng;
    private int _places;
    private int _refs;
    private int _commands;

    public MonthGenerator(HotlineApp app, int seed, DateTimeOffset horizon)
    {
        _app = app;
        _channel = app.Channel();
        _matters = app.Get<MatterService>();
        _pump = app.Get<AlarmPump>();
        _sim = new SlotScheduler(app.Clock, horizon);
        _rng = new Random(seed);
    }

    public List<MatterRecord> Matters { get; } = [];

    public int Commands => Volatile.Read(ref _commands);

    /// <summary>
    /// Generates and runs: <paramref name="before"/> matters received in the second half of February (reported late by a
    /// channel, only for the previous period of the hotspots), then <paramref name="march"/> matters through March.
    /// </summary>
    public async Task RunAsync(int before, int march)
    {
        var plans = new List<(MatterRecord Record, bool February)>();
        for (var i = 0; i < before; i++) plans.Add((NewMatter(T("2026-02-16 00:00") + Step * _rng.Next(0, 12 * 24 * 2)), true));
        for (var i = 0; i < march; i++) plans.Add((NewMatter(T("2026-03-01 00:00").AddDays(_rng.Next(0, 31)) + Waves[_rng.Next(0, Waves.Length)]), false));
        foreach (var (record, february) in plans)
        {
            Matters.Add(record);
            if (february) _sim.Start(() => FebruaryMatterAsync(record));
            else _sim.Start(() => MarchMatterAsync(record));
        }
        await _sim.RunAsync(async () => await _pump.SettleAsync(TimeSpan.FromSeconds(30)));
        if (_sim.Failures.Count > 0) throw new AggregateException("The generator failed.", _sim.Failures);
        _app.Clock.Set(_sim.Horizon);
        await _pump.SettleAsync(TimeSpan.FromSeconds(30));
    }

    private MatterRecord NewMatter(DateTimeOffset receivedAt)
    {
        var dice = new Random(_rng.Next());
        var kind = Kinds[dice.Next(0, Kinds.Length)];
        var district = Districts[dice.Next(0, Districts.Length)];
        if (dice.NextDouble() < 0.3 && Sites.Where(s => s.Category == kind.Category).ToArray() is { Length: > 0 } sites)
        {
            var siteIndex = Array.IndexOf(Sites, sites[dice.Next(0, sites.Length)]);
            var site = Sites[siteIndex];
            double Jitter() => (dice.NextDouble() - 0.5) * 0.0008; // within ±45 m of the site
            // Written differently each time, and sometimes only near the site: the same place all the same.
            var (address, lat, lon) = dice.Next(0, 4) switch
            {
                0 => (site.Address, (double?)null, (double?)null),
                1 => (string.Join(' ', site.Address.ToCharArray()) + "。", site.Lat + Jitter(), site.Lon + Jitter()),
                2 => (site.Address + "北门", site.Lat + Jitter(), site.Lon + Jitter()),
                _ => (site.Address, site.Lat, site.Lon),
            };
            return new MatterRecord
            {
                ReceivedAt = receivedAt, Type = kind.Type, Category = kind.Category, District = site.District, Address = address, Lat = lat, Lon = lon,
                Site = siteIndex, Dice = dice,
            };
        }
        var place = ++_places;
        var located = dice.NextDouble() < 0.7;
        var addressed = kind.Type is not (MatterType.Consultation or MatterType.Suggestion) || dice.NextDouble() < 0.5;
        // Places of their own lie about a kilometre apart, away from the sites: never "the same place" by accident.
        return new MatterRecord
        {
            ReceivedAt = receivedAt, Type = kind.Type, Category = kind.Category, District = district,
            Address = addressed ? $"独立路{place}号" : null,
            Lat = addressed && located ? 30.5 + place * 0.01 : null,
            Lon = addressed && located ? 120.5 : null,
            Dice = dice,
        };
    }

    private async Task FebruaryMatterAsync(MatterRecord m)
    {
        // A channel delivering last month's calls on the last day of February; some are not accepted.
        await _sim.At(T("2026-02-28 10:00"));
        var view = await SubmitAsync(m, m.ReceivedAt);
        if (!view.TryGetProperty("organizer", out _) && Chance(m, 0.15))
        {
            await _sim.At(T("2026-02-28 11:00"));
            await DoAsync(m.Id, new RejectMatter(Dispatcher, "outside-area", null));
            m.Rejected = true;
        }
    }

    private async Task MarchMatterAsync(MatterRecord m)
    {
        await _sim.At(m.ReceivedAt);
        var view = await SubmitAsync(m, null);
        var deadlines = view.GetProperty("deadlines");
        if (view.TryGetProperty("organizer", out var routed))
        {
            // Dispatched in the same decision as the intake (a certain route).
            await HandleAsync(m, NewAssignment(m, routed.GetString()!, _sim.Now, deadlines), allowReturn: true);
            return;
        }
        var dispatchBy = Instant(deadlines, "dispatchBy");
        if (Chance(m, 0.04))
        {
            await _sim.At(_sim.Now.AddMinutes(30));
            await DoAsync(m.Id, new RejectMatter(Dispatcher, "incomplete", null));
            m.Rejected = true;
            return;
        }
        if (m.Type == MatterType.Consultation && Chance(m, 0.5))
        {
            await _sim.At(_sim.Now.AddMinutes(20));
            await DoAsync(m.Id, new AnswerOnTheSpot(Dispatcher, "请携带身份证到社区服务中心办理", null));
            return;
        }
        var dispatchAt = Chance(m, 0.05)
            ? Between(m, dispatchBy + Step, dispatchBy.AddHours(4)) // the dispatch-due alarm fires first
            : Between(m, _sim.Now + Step, Min(_sim.Now.AddHours(3), dispatchBy - Step));
        await _sim.At(dispatchAt);
        var unit = Kinds.First(k => k.Category == m.Category).Unit;
        if (Chance(m, 0.04)) unit = "ecology"; // a unit that gets too few matters to rate
        var dispatched = await DoAsync(m.Id, new DispatchMatter(Dispatcher, unit, []));
        await HandleAsync(m, NewAssignment(m, unit, _sim.Now, dispatched.State!.Deadlines), allowReturn: true);
    }

    private async Task HandleAsync(MatterRecord m, AssignmentRecord a, bool allowReturn)
    {
        m.Assignments.Add(a);
        var habits = Units.Single(u => u.Id == a.Organizer);
        var unit = Actor.Organizer(a.Organizer);

        if (m.Site is { } site && Chance(m, 0.1) && EarlierAt(m, site) is { } target)
        {
            // Staff see the duplicate before the unit signs and merge it into the earlier matter at the same place.
            await _sim.At(_sim.Now.AddMinutes(20));
            await DoAsync(m.Id, new MergeInto(Dispatcher, target.Id, "同一地点同一问题"));
            a.MergedAt = _sim.Now;
            return;
        }

        if (allowReturn && Chance(m, 0.1))
        {
            await _sim.At(Between(m, _sim.Now + Step, Min(_sim.Now.AddMinutes(60), a.SignBy - Step)));
            await DoAsync(m.Id, new ApplyForReturn(unit, "不属本单位职责"));
            a.ReturnsApplied++;
            a.ReturnAppliedAt = _sim.Now;
            a.Return = ReturnState.Pending;
            await _sim.At(Between(m, _sim.Now.AddMinutes(30), _sim.Now.AddHours(3)));
            if (Chance(m, 0.7))
            {
                var others = Units.Where(u => u.Id != a.Organizer && u.Id != "ecology").ToArray();
                var next = others[m.Dice.Next(0, others.Length)].Id;
                var reassigned = await DoAsync(m.Id, new DecideReturn(Dispatcher, true, "同意退回", ReassignTo: next));
                a.Return = ReturnState.Approved;
                await HandleAsync(m, NewAssignment(m, next, _sim.Now, reassigned.State!.Deadlines), allowReturn: false);
                return;
            }
            await DoAsync(m.Id, new DecideReturn(Dispatcher, false, "属于本单位职责"));
            a.Return = ReturnState.Refused;
            a.Supervised = true; // refusing a matter within its duties (Weifang 26(1)); the Fujian profile supervises refused returns
        }

        var signAt = Plan(m, Chance(m, habits.SignOnTime), _sim.Now + Step, a.SignBy, TimeSpan.FromHours(4));
        Overdue(a, signAt, a.SignBy);
        await _sim.At(signAt);
        await DoAsync(m.Id, new SignMatter(unit));
        a.SignedAt = _sim.Now;

        if (Chance(m, 0.03))
        {
            await _sim.At(_sim.Now + Step);
            await DoAsync(m.Id, new PutUnderSupervision(Dispatcher, "群众反映强烈"));
            a.Supervised = true;
        }

        var replyNotBefore = _sim.Now + Step;
        if (a.ContactBy is { } contactBy)
        {
            var roll = m.Dice.NextDouble();
            if (roll < 0.05)
            {
                // Never contacted: the reply waits past the contact deadline, so its alarm finds the matter still handled.
                Overdue(a, contactBy + Step, contactBy);
                replyNotBefore = Max(replyNotBefore, contactBy + Step);
            }
            else
            {
                var contactAt = Plan(m, roll < 0.05 + habits.ContactOnTime, _sim.Now + Step, contactBy, TimeSpan.FromDays(1));
                Overdue(a, contactAt, contactBy);
                await _sim.At(contactAt);
                await DoAsync(m.Id, new RecordContact(unit, "电话联系诉求人"));
                a.ContactedAt = _sim.Now;
                replyNotBefore = _sim.Now + Step;
            }
        }
        else if (m.Type != MatterType.Consultation && Chance(m, 0.04))
        {
            await _sim.At(_sim.Now.AddDays(1));
            await DoAsync(m.Id, new ApplyForTermination(unit, "诉求人拒不配合"));
            await _sim.At(_sim.Now.AddHours(1));
            await DoAsync(m.Id, new DecideTermination(Dispatcher, true, null));
            a.TerminatedAt = _sim.Now;
            return;
        }

        if (Chance(m, 0.12) && _sim.Now + Step <= a.ExtensionCutoff - Step)
        {
            await _sim.At(Between(m, _sim.Now + Step, a.ExtensionCutoff - Step));
            await DoAsync(m.Id, new ApplyForExtension(unit, m.Dice.Next(1, 3), "需协调相关部门"));
            await _sim.At(_sim.Now + Step * m.Dice.Next(1, 4));
            if (Chance(m, 0.8))
            {
                var extended = await DoAsync(m.Id, new DecideExtension(Dispatcher, true, null));
                a.Extensions++;
                a.DueBy = extended.State!.Deadlines.DueBy!.Value;
            }
            else
            {
                await DoAsync(m.Id, new DecideExtension(Dispatcher, false, "理由不充分"));
            }
            replyNotBefore = Max(replyNotBefore, _sim.Now + Step);
        }

        var replyAt = Plan(m, Chance(m, habits.ReplyOnTime), replyNotBefore, a.DueBy, TimeSpan.FromDays(2));
        Overdue(a, replyAt, a.DueBy);
        var sendBack = replyAt <= a.DueBy.AddHours(-4) && Chance(m, 0.1);
        await _sim.At(replyAt);
        // Some contacted citizens are told that the matter cannot be solved at present (Fujian 20(7)).
        a.Explained = a.ContactedAt is not null && Chance(m, 0.15);
        var kind = a.Explained ? ReplyKind.ExplainedNotSolvable : ReplyKind.Solved;
        await DoAsync(m.Id, new SubmitReply(unit, "已现场处理完毕", [Photo], kind));
        a.UnderReviewSince = _sim.Now;
        if (sendBack)
        {
            await _sim.At(_sim.Now.AddMinutes(30));
            await DoAsync(m.Id, new ReviewReply(Dispatcher, false, "请补充处理结果"));
            a.UnderReviewSince = null;
            await _sim.At(_sim.Now.AddMinutes(60));
            await DoAsync(m.Id, new SubmitReply(unit, "已补充处理结果", [Photo], kind));
            a.UnderReviewSince = _sim.Now;
        }
        await _sim.At(_sim.Now + Step * m.Dice.Next(1, 3));
        var accepted = await DoAsync(m.Id, new ReviewReply(Dispatcher, true, null));
        a.RepliedAt = a.UnderReviewSince;
        a.UnderReviewSince = null;
        a.CompletedAt = _sim.Now;
        await EvaluateAsync(m, a, unit, accepted.State!.Deadlines.EvaluationBy!.Value, round: 1);
    }

    /// <summary>The citizen's verdict, and what follows it: handling again (Fujian 22), a return visit (Weifang 25).</summary>
    private async Task EvaluateAsync(MatterRecord m, AssignmentRecord a, Actor unit, DateTimeOffset evaluationBy, int round)
    {
        var roll = m.Dice.NextDouble();
        if (round == 1 && roll >= 0.92) return; // no evaluation: the window lapses and the matter closes
        var result = round switch
        {
            1 => roll < 0.6 ? EvaluationResult.Satisfied : roll < 0.8 ? EvaluationResult.BasicallySatisfied : EvaluationResult.Unsatisfied,
            2 => roll < 0.7 ? EvaluationResult.Satisfied : EvaluationResult.Unsatisfied,
            _ => EvaluationResult.Satisfied,
        };
        await _sim.At(Between(m, _sim.Now + Step, Min(evaluationBy - Step, _sim.Now.AddDays(2))));
        var evaluated = await DoAsync(m.Id, new EvaluateMatter(CallCentre, result, null));
        a.Evaluation = result;
        if (result == EvaluationResult.Unsatisfied)
        {
            a.HandledAgain++;
            if (++m.Unsatisfied >= 2) a.Supervised = true; // Fujian 22: unsatisfied again, handled again and supervised
            // Fujian 22: handled again once staff verify that the organizer is responsible (here it always is).
            var verified = await DoAsync(m.Id, new VerifyEvaluation(Dispatcher, true, "核实属承办单位责任"));
            await HandleAgainAsync(m, a, unit, verified.State!.Deadlines.DueBy!.Value, round);
            return;
        }
        if (round == 1 && Chance(m, 0.06))
        {
            await _sim.At(_sim.Now.AddDays(1));
            var reopened = await DoAsync(m.Id, new RecordReturnVisit(Dispatcher, Solved: false, "回访问题仍存在"));
            a.HandledAgain++;
            await HandleAgainAsync(m, a, unit, reopened.State!.Deadlines.DueBy!.Value, round);
        }
    }

    private async Task HandleAgainAsync(MatterRecord m, AssignmentRecord a, Actor unit, DateTimeOffset dueBy, int round)
    {
        await _sim.At(Between(m, _sim.Now + Step, dueBy - Step));
        await DoAsync(m.Id, new SubmitReply(unit, "已重新办理", [Photo]));
        await _sim.At(_sim.Now.AddMinutes(30));
        var accepted = await DoAsync(m.Id, new ReviewReply(Dispatcher, true, null));
        await EvaluateAsync(m, a, unit, accepted.State!.Deadlines.EvaluationBy!.Value, round + 1);
    }

    /// <summary>
    /// An action against a deadline: on time lands in [earliest, deadline − one step], so the deadline's alarm has not
    /// fired; late lands after the deadline, within <paramref name="lateBy"/>. No room on time means late.
    /// </summary>
    private static DateTimeOffset Plan(MatterRecord m, bool onTime, DateTimeOffset earliest, DateTimeOffset deadline, TimeSpan lateBy)
    {
        var lastOnTime = deadline - Step;
        if (onTime && SlotScheduler.RoundUp(earliest) <= lastOnTime) return Between(m, earliest, lastOnTime);
        var firstLate = Max(earliest, deadline + Step);
        return Between(m, firstLate, firstLate + lateBy);
    }

    /// <summary>An action after its deadline means its alarm fired first, and supervision started (Fujian 24, 30; Weifang 26(2)), once the month gets there.</summary>
    private void Overdue(AssignmentRecord a, DateTimeOffset actionAt, DateTimeOffset deadline)
    {
        if (SlotScheduler.RoundUp(actionAt) > deadline && deadline <= _sim.Horizon) a.Supervised = true;
    }

    private static AssignmentRecord NewAssignment(MatterRecord m, string unit, DateTimeOffset at, Deadlines d) => new()
    {
        MatterId = m.Id, Organizer = unit, ReceivedAt = at, SignBy = d.SignBy!.Value, ContactBy = d.ContactBy, DueBy = d.DueBy!.Value, ExtensionCutoff = d.ExtensionCutoff!.Value,
    };

    private static AssignmentRecord NewAssignment(MatterRecord m, string unit, DateTimeOffset at, JsonElement d) => new()
    {
        MatterId = m.Id, Organizer = unit, ReceivedAt = at, SignBy = Instant(d, "signBy"),
        ContactBy = d.TryGetProperty("contactBy", out var c) ? c.GetDateTimeOffset() : null,
        DueBy = Instant(d, "dueBy"), ExtensionCutoff = Instant(d, "extensionCutoff"),
    };

    /// <summary>A matter received earlier at the same site: it was submitted in an earlier slot, so its id is known.</summary>
    private MatterRecord? EarlierAt(MatterRecord m, int site) =>
        Matters.FirstOrDefault(o => o.Site == site && o != m && o.ReceivedAt < m.ReceivedAt);

    private async Task<JsonElement> SubmitAsync(MatterRecord m, DateTimeOffset? receivedAt)
    {
        var body = new Dictionary<string, object?>
        {
            ["channel"] = "phone",
            ["channelRef"] = $"sim-{Interlocked.Increment(ref _refs)}",
            ["type"] = JsonNamingPolicy.CamelCase.ConvertName(m.Type.ToString()),
            ["category"] = m.Category,
            ["title"] = "市民来电",
            ["description"] = "市民反映的问题",
            ["location"] = m.Address is null ? new Dictionary<string, object?> { ["district"] = m.District }
                : new Dictionary<string, object?> { ["address"] = m.Address, ["district"] = m.District, ["lat"] = m.Lat, ["lon"] = m.Lon },
            ["citizen"] = new Dictionary<string, object?> { ["name"] = "市民", ["phone"] = "13800001234" },
        };
        if (receivedAt is { } at) body["receivedAt"] = at;
        using var response = await _channel.PostAsJsonAsync("/api/matters", body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Intake refused ({(int)response.StatusCode}): {text}");
        var view = JsonDocument.Parse(text).RootElement.Clone();
        m.Id = view.GetProperty("id").GetString()!;
        Interlocked.Increment(ref _commands);
        return view;
    }

    private async Task<CommandOutcome> DoAsync(string matterId, MatterCommand command)
    {
        var outcome = await _matters.ExecuteAsync(matterId, command);
        Interlocked.Increment(ref _commands);
        return outcome.Accepted ? outcome : throw new InvalidOperationException($"{matterId} at {_sim.Now:O}: {command.GetType().Name} refused: {outcome.Refusal}");
    }

    private static DateTimeOffset Instant(JsonElement deadlines, string name) => deadlines.GetProperty(name).GetDateTimeOffset();

    private static DateTimeOffset Between(MatterRecord m, DateTimeOffset from, DateTimeOffset to)
    {
        var first = SlotScheduler.RoundUp(from);
        var slots = (int)Math.Max(0, (to - first).Ticks / SlotScheduler.Grid.Ticks);
        return first + SlotScheduler.Grid * m.Dice.Next(0, slots + 1);
    }

    private static bool Chance(MatterRecord m, double p) => m.Dice.NextDouble() < p;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset T(string cst) => HotlineApp.T(cst);
}
