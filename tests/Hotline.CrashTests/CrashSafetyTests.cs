using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Store;
using Hotline.Testing;
using Xunit.Abstractions;

namespace Hotline.CrashTests;

/// <summary>
/// DESIGN.md, "Nothing is lost": a process killed at any instant loses nothing and sends nothing twice. These tests
/// kill the real local host (SIGKILL, the whole process) at random moments while channel systems post and staff
/// dispatch, and again while it delivers alarms, restart it each time, and then read storage back: every
/// acknowledged matter and dispatch is there once, every event, every alarm, every SMS exactly once.
/// Set HOTLINE_CRASH_SEED to replay a run's kill schedule (the interleaving itself is not reproducible), and
/// HOTLINE_CRASH_KEEP_LOGS to keep the host logs of a passing run (a failing run always keeps them).
/// </summary>
public sealed class CrashSafetyTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const int Clients = 4;
    private const int LoadKills = 6;
    private const int MaxMattersPerClient = 60;
    private const string Organizer = "lanhai-water";

    // Water categories (lanhai-water's in Data/organizers.json) are routed with certainty and dispatched at intake;
    // construction-noise has an uncertain route (Data/routing.json), so a dispatcher posts the dispatch. Both paths
    // are taken; the client follows whatever the intake answered, so a change of routing data changes only the mix.
    private static readonly string[] Categories = ["water-pressure", "construction-noise", "drainage", "construction-noise"];

    /// <summary>Everything, including the host's starts, must fit in this; a run that does not is a failure, not a hang.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task A_host_killed_under_load_and_while_delivering_alarms_loses_nothing_and_sends_no_SMS_twice()
    {
        var seed = Environment.GetEnvironmentVariable("HOTLINE_CRASH_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var prefix = "crash" + Guid.NewGuid().ToString("N")[..8];
        var logs = Directory.CreateTempSubdirectory("hotline-crash-");
        var journal = new Journal(output);
        journal.Write($"seed {seed}, table prefix {prefix}, host logs in {logs.FullName}");

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Hotline__TablePrefix"] = prefix,
            // Fast enough that sweeps, lease expiry and retries happen within the test.
            ["Hotline__Runtime__SweepDelay"] = "00:00:02",
            ["Hotline__Runtime__AlarmPollInterval"] = "00:00:00.100",
            ["Hotline__Runtime__AlarmLease"] = "00:00:05",
            ["Hotline__Runtime__EffectRetryBase"] = "00:00:01",
            // One timestamped line per entry, so each host's log reads as a timeline next to the test's journal.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        };
        var tables = new HotlineTables(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString), prefix);

        await using var host = new LocalHostProcess(environment, logs.FullName);
        using var client = new ChannelClient(host);
        using var budget = new CancellationTokenSource(Budget);
        var run = new Run(host, client, journal, random, budget.Token);
        CrashAudit audit;
        DateTimeOffset reached;
        try
        {
            await host.StartAsync(budget.Token);
            journal.Write($"host up (start {host.Generation}) at {host.BaseAddress}");
            await run.LoadWhileKillingAsync();
            reached = await run.FireAlarmsWhileKillingAsync(tables);
            await run.WaitUntilQuiescentAsync(tables, reached);
            // Read a still picture: nothing may move while the audit reads.
            await host.KillAsync();

            audit = new CrashAudit(tables);
            await audit.ReadAsync(budget.Token);
        }
        catch (Exception ex)
        {
            // Stops the channel systems still waiting for a host that will not come back.
            await budget.CancelAsync();
            Assert.Fail($"The crash run did not complete: {ex}\n\n{run.Diagnostics(seed)}\n\nhost log tail:\n{host.Tail(80)}");
            throw;
        }

        var acknowledged = run.Acknowledged;
        audit.Violations.AddRange(run.Problems);
        await audit.CheckMattersAsync(acknowledged, CancellationToken.None);
        audit.CheckDispatches(acknowledged);
        audit.CheckSms();
        await audit.CheckAlarmsAsync(reached, CancellationToken.None);
        await audit.CheckEffectsAsync(CancellationToken.None);
        if (run.KillsDuringDelivery == 0) audit.Violations.Add("No kill landed while alarms were being delivered: the run did not test what it claims.");
        if (run.Kills < LoadKills + 2) audit.Violations.Add($"Only {run.Kills} kills happened.");

        var sms = audit.Sms.GroupBy(s => s.NoticeKind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        journal.Write($"audited {audit.Matters.Count} matters ({acknowledged.MatterByChannelRef.Count} acknowledged, {acknowledged.Dispatched.Count} dispatched), " +
            $"{audit.Matters.Sum(m => m.Events.Count)} events, SMS: {string.Join(", ", sms)}; {run.Kills} kills ({run.KillsDuringDelivery} during alarm delivery), " +
            $"{client.Retries} retried requests, {run.DispatchedAtIntake} dispatched at intake, " +
            $"{run.DispatchesConfirmedByConflict} dispatch(es) confirmed by 409 after an ambiguous attempt");

        if (audit.Violations.Count > 0)
        {
            Assert.Fail($"{audit.Violations.Count} violation(s) of 'nothing is lost':\n- {string.Join("\n- ", audit.Violations.Take(60))}\n\n" +
                $"{run.Diagnostics(seed)}\n\nhost log tail:\n{host.Tail(80)}");
        }
        Assert.True(audit.Matters.Count >= Clients * 2, $"Too little load to mean anything: {audit.Matters.Count} matters.\n{run.Diagnostics(seed)}");
        if (Environment.GetEnvironmentVariable("HOTLINE_CRASH_KEEP_LOGS") is not { Length: > 0 }) TryDelete(logs);
    }

    /// <summary>A matter at its own address and with its own caller, so that no two look like duplicates of each other.</summary>
    private static Dictionary<string, object?> MatterBody(string channelRef, string category, int n) => new()
    {
        ["channel"] = "phone",
        ["channelRef"] = channelRef,
        ["type"] = "help",
        ["urgency"] = "normal",
        ["category"] = category,
        ["title"] = category == "construction-noise" ? "夜间施工噪音" : "水压不足",
        ["description"] = category == "construction-noise" ? "工地每晚十一点后仍在施工" : "幸福小区三楼以上没有自来水",
        ["location"] = new Dictionary<string, object?>
        {
            ["address"] = string.Create(CultureInfo.InvariantCulture, $"东湖区幸福路{n + 1}号"),
            ["district"] = "donghu",
            // 0.01° of latitude is about 1.1 km apart.
            ["lat"] = 30.0 + n * 0.01,
            ["lon"] = 120.16,
        },
        ["citizen"] = new Dictionary<string, object?> { ["name"] = "张三", ["phone"] = string.Create(CultureInfo.InvariantCulture, $"1380000{n:D4}"), ["confidential"] = false },
    };

    private static void TryDelete(DirectoryInfo directory)
    {
        try { directory.Delete(recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>One crash run: the channel systems, the killer, and what each was told.</summary>
    private sealed class Run(LocalHostProcess host, ChannelClient client, Journal journal, Random random, CancellationToken cancellationToken)
    {
        private readonly ConcurrentDictionary<string, string> _matters = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _dispatched = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _problems = new();
        private readonly string _runId = Guid.NewGuid().ToString("N")[..6];
        private int _stop;
        private int _confirmedByConflict;
        private int _dispatchedAtIntake;

        public int Kills { get; private set; }

        public int KillsDuringDelivery { get; private set; }

        public int DispatchesConfirmedByConflict => Volatile.Read(ref _confirmedByConflict);

        public int DispatchedAtIntake => Volatile.Read(ref _dispatchedAtIntake);

        public IEnumerable<string> Problems => _problems;

        public Acknowledged Acknowledged => new(new Dictionary<string, string>(_matters), _dispatched.Keys.ToHashSet());

        /// <summary>Channel systems post and dispatch until the killer has killed and restarted the host <see cref="LoadKills"/> times.</summary>
        public async Task LoadWhileKillingAsync()
        {
            var channels = Enumerable.Range(0, Clients).Select(c => Task.Run(() => ChannelSystemAsync(c), cancellationToken)).ToArray();
            try
            {
                for (var k = 1; k <= LoadKills; k++)
                {
                    await host.WhenUpAsync(cancellationToken);
                    var up = TimeSpan.FromMilliseconds(random.Next(300, 2500));
                    await Task.Delay(up, cancellationToken);
                    await KillAndRestartAsync($"load kill {k}/{LoadKills} after {up.TotalMilliseconds:0} ms up", downFor: TimeSpan.FromMilliseconds(random.Next(0, 500)));
                }
            }
            finally
            {
                Volatile.Write(ref _stop, 1);
            }
            await Task.WhenAll(channels);
            journal.Write($"load done: {_matters.Count} matters acknowledged, {_dispatched.Count} dispatched");
        }

        /// <summary>
        /// Moves the host's clock past every sign-off reminder, then past every sign-off deadline; each move delivers
        /// the alarms due before it answers, and the host is killed in the middle of that delivery (once a random
        /// number of alarms has been completed in the index), restarted, and its clock set again to the same instant:
        /// the offset dies with the process, and alarms the dead host had leased wait for their lease to end.
        /// </summary>
        public async Task<DateTimeOffset> FireAlarmsWhileKillingAsync(HotlineTables tables)
        {
            var store = new MatterStore(tables.Matters);
            var index = new AlarmIndex(tables.Alarms);
            var states = new List<Matter>();
            foreach (var id in _matters.Values)
            {
                states.Add((await store.LoadAsync(id, cancellationToken))?.State ?? throw new InvalidOperationException($"Matter {id} was acknowledged but cannot be loaded."));
            }
            var dispatched = states.Where(s => s.Deadlines.SignOffReminderAt is not null && s.Deadlines.SignBy is not null).ToList();
            if (dispatched.Count == 0) throw new InvalidOperationException("No dispatched matter to fire alarms for.");
            var steps = new[]
            {
                ("sign-off reminders", dispatched.Max(s => s.Deadlines.SignOffReminderAt!.Value).AddMinutes(1)),
                ("sign-off deadlines", dispatched.Max(s => s.Deadlines.SignBy!.Value).AddMinutes(1)),
            };
            foreach (var (what, target) in steps)
            {
                var due = await index.CountDueAsync(target, cancellationToken);
                var killAfter = random.Next(1, Math.Max(2, due / 2));
                var clock = client.PutAsync("api/dev/clock", ChannelClient.StaffKey, new { now = target }, cancellationToken);
                var left = due;
                while (!clock.IsCompleted && due - left < killAfter)
                {
                    await Task.Delay(10, cancellationToken);
                    left = await index.CountDueAsync(target, cancellationToken);
                }
                if (!clock.IsCompleted)
                {
                    KillsDuringDelivery++;
                    await KillAndRestartAsync($"{what}: kill with {due - left} of {due} due alarms delivered, clock at {target:O}", TimeSpan.Zero);
                }
                else
                {
                    journal.Write($"{what}: all {due} alarms were delivered before {killAfter} were seen done; killing after it instead");
                    await KillAndRestartAsync($"{what}: kill after delivery", TimeSpan.Zero);
                    clock = client.PutAsync("api/dev/clock", ChannelClient.StaffKey, new { now = target }, cancellationToken);
                }
                // The request that was cut off is sent again to the restarted host, whose clock starts from real time.
                var reply = await clock;
                if (!reply.Acknowledged) throw new InvalidOperationException($"Setting the clock to {target:O} failed: {reply}");
                journal.Write($"{what}: clock at {target:O} on start {host.Generation}: {reply.Body}");
            }
            return steps[^1].Item2;
        }

        /// <summary>Waits for the background pump and effect workers to finish what the killed hosts left behind.</summary>
        public async Task WaitUntilQuiescentAsync(HotlineTables tables, DateTimeOffset reached)
        {
            var alarms = new AlarmIndex(tables.Alarms);
            var calm = 0;
            var watch = Stopwatch.StartNew();
            while (calm < 2)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("Pending effects or due alarms remained for 60 s after the last restart.");
                await Task.Delay(500, cancellationToken);
                var effects = await CrashAudit.PendingEffectsAsync(tables, cancellationToken);
                var due = await alarms.CountDueAsync(reached, cancellationToken);
                calm = effects == 0 && due == 0 ? calm + 1 : 0;
                if (calm == 0 && watch.Elapsed.TotalSeconds % 5 < 0.5) journal.Write($"waiting: {effects} pending effect(s), {due} due alarm(s)");
            }
            journal.Write($"quiescent after {watch.Elapsed.TotalSeconds:0.0} s");
        }

        public string Diagnostics(int seed) =>
            $"seed {seed} (set HOTLINE_CRASH_SEED to replay the kill schedule); {Kills} kills, {_matters.Count} matters acknowledged, " +
            $"{_dispatched.Count} dispatched, {client.Retries} retries\n{journal}";

        private async Task KillAndRestartAsync(string why, TimeSpan downFor)
        {
            var generation = host.Generation;
            var inFlight = client.InFlight;
            await host.KillAsync();
            Kills++;
            journal.Write($"KILL {Kills}: {why}; start {generation} had {inFlight} request(s) in flight; {_matters.Count} matters acknowledged so far");
            if (downFor > TimeSpan.Zero) await Task.Delay(downFor, cancellationToken);
            var restart = Stopwatch.StartNew();
            await host.StartAsync(cancellationToken);
            journal.Write($"host up again (start {host.Generation}) after {restart.ElapsedMilliseconds} ms");
        }

        private async Task ChannelSystemAsync(int channel)
        {
            for (var n = 0; n < MaxMattersPerClient && Volatile.Read(ref _stop) == 0; n++)
            {
                var channelRef = $"{_runId}-{channel}-{n:D3}";
                var body = MatterBody(channelRef, Categories[n % Categories.Length], channel * MaxMattersPerClient + n);
                var intake = await client.PostAsync("api/matters", ChannelClient.ChannelKey, body, cancellationToken);
                // 200 means "this reference exists already": right only when an earlier attempt may have created it.
                if (!(intake.Status == 201 || intake.Status == 200 && intake.Ambiguous))
                {
                    _problems.Enqueue($"Intake of {channelRef}: {intake}");
                    continue;
                }
                var matter = intake.Json();
                var id = matter.GetProperty("id").GetString()!;
                _matters[channelRef] = id;
                if (!string.Equals(matter.GetProperty("status").GetString(), nameof(MatterStatus.AwaitingDispatch), StringComparison.OrdinalIgnoreCase))
                {
                    // Routed with certainty and dispatched in the intake's own commit: the intake's answer acknowledged both.
                    _dispatched[id] = true;
                    Interlocked.Increment(ref _dispatchedAtIntake);
                    await Task.Delay(Random.Shared.Next(10, 60), cancellationToken);
                    continue;
                }

                var dispatch = await client.PostAsync($"api/matters/{id}/dispatch", ChannelClient.StaffKey, new { organizer = Organizer }, cancellationToken);
                if (dispatch.Status == 200)
                {
                    _dispatched[id] = true;
                }
                else if (dispatch.Status == 409 && dispatch.Ambiguous && dispatch.ProblemCode() == RefusalCodes.WrongStatus)
                {
                    // An attempt cut off by a kill was applied: the matter is no longer awaiting dispatch.
                    _dispatched[id] = true;
                    Interlocked.Increment(ref _confirmedByConflict);
                }
                else
                {
                    _problems.Enqueue($"Dispatch of {id} ({channelRef}): {dispatch}");
                }
                await Task.Delay(Random.Shared.Next(10, 60), cancellationToken);
            }
        }
    }

    /// <summary>What happened when, for the test output and the failure message.</summary>
    private sealed class Journal(ITestOutputHelper output)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly StringBuilder _text = new();

        public void Write(string line)
        {
            var entry = $"[{_clock.Elapsed.TotalSeconds,6:0.00}s] {line}";
            lock (_text) _text.AppendLine(entry);
            output.WriteLine(entry);
        }

        public override string ToString()
        {
            lock (_text) return _text.ToString();
        }
    }
}
