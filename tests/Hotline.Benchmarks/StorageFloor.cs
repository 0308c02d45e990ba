using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Store;
using Azure.Data.Tables;

namespace Hotline.Benchmarks;

/// <summary>
/// Scenario 1: the storage floor. Each operation commits the rows an intake commits (the state row with the
/// submitted matter's JSON, its event row and the effect rows the planner asks for) in one entity-group
/// transaction straight through <see cref="TableClient.SubmitTransactionAsync"/>: no reservation, no sweep alarm,
/// no effects afterwards. It is what one accepted matter costs the storage at the least.
/// </summary>
internal static class StorageFloor
{
    public static async Task<FloorReport> RunAsync(string connectionString, BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var runtime = await BenchRuntime.StartAsync(connectionString, "floor" + BenchSettings.RunId(), TimeProvider.System, new RuntimeOptions());
        var lifecycle = runtime.Get<MatterLifecycle>();
        var routing = runtime.Get<DirectoryStore>().Routing;
        var matters = runtime.Get<HotlineTables>().Matters;
        var shape = await CheckRowsMatchStoreAsync(runtime, cancellationToken);

        // Building a matter's rows (decide, fold, plan, serialize) happens inside each measured operation; time it
        // alone so the reader can see it is negligible next to the storage round trip.
        MatterRows Build(long n) => Rows(lifecycle, routing, Intakes.For(n, "floor-" + n.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow), DateTimeOffset.UtcNow);
        var build = Stopwatch.StartNew();
        for (var i = 0; i < 2000; i++) _ = Build(1_000_000 + i);
        build.Restart();
        for (var i = 0; i < 2000; i++) _ = Build(2_000_000 + i);
        var buildMicros = build.Elapsed.TotalMicroseconds / 2000;
        var rowsPerMatter = Enumerable.Range(1, 1000).Average(n => Build(n).Actions.Count);

        long sequence = 0;
        var result = await LoadDriver.RunAsync("storage floor", settings.Concurrency, settings.Warmup, settings.Window, async ct =>
        {
            var rows = Build(Interlocked.Increment(ref sequence));
            await matters.SubmitTransactionAsync(rows.Actions, ct);
        }, cancellationToken);
        return new FloorReport(result, shape, buildMicros, rowsPerMatter);
    }

    public sealed record MatterRows(string MatterId, IReadOnlyList<TableTransactionAction> Actions);

    /// <summary>A new matter's rows as <see cref="MatterStore.CommitAsync"/> lays them out for an intake.</summary>
    public static MatterRows Rows(MatterLifecycle lifecycle, RoutingTable routing, Intake intake, DateTimeOffset now)
    {
        var id = IntakeService.NewMatterId(now);
        var (state, events, effects) = Submitted(lifecycle, routing, id, intake, now);
        var stateRow = new TableEntity(id, "state")
        {
            ["Version"] = state.Version,
            ["Status"] = JsonNamingPolicy.CamelCase.ConvertName(state.Status.ToString()),
        };
        Json(stateRow, JsonSerializer.Serialize(state, HotlineJson.Options));
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, stateRow) };
        for (var i = 0; i < events.Count; i++)
        {
            var row = new TableEntity(id, "event-" + (state.Version - events.Count + 1 + i).ToString("D8", CultureInfo.InvariantCulture));
            Json(row, JsonSerializer.Serialize(events[i], HotlineJson.Options));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
        }
        for (var n = 0; n < effects.Count; n++)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(id, "effect-" + state.Version.ToString("D8", CultureInfo.InvariantCulture) + "-" + n.ToString("D2", CultureInfo.InvariantCulture))
                {
                    ["Kind"] = effects[n].Kind,
                    ["Payload"] = effects[n].Payload,
                    ["Attempts"] = 0,
                    ["NotBefore"] = now,
                }));
        }
        return new MatterRows(id, actions);
    }

    /// <summary>
    /// What the lifecycle and the planner make of an intake, routed as IntakeService routes it (a certain route
    /// dispatches at once), with no possible duplicates: finding those is the runtime's work, not the storage's.
    /// </summary>
    public static (Matter State, IReadOnlyList<MatterEvent> Events, IReadOnlyList<EffectDraft> Effects) Submitted(
        MatterLifecycle lifecycle, RoutingTable routing, string matterId, Intake intake, DateTimeOffset now)
    {
        var decision = lifecycle.Decide(null, new SubmitMatter(Intakes.CallCentre, matterId, intake, routing.AutoDispatch(intake), []), now);
        if (!decision.Accepted) throw new InvalidOperationException($"The benchmark's intake was refused: {decision.Refusal}");
        var state = decision.Events.Aggregate((Matter?)null, (s, e) => Matter.Evolve(s, e))!;
        return (state, decision.Events, EffectPlanner.Plan(null, state, decision.Events));
    }

    // MatterStore keeps JSON in one column while it fits (JsonColumns, internal to the runtime); a submitted matter
    // always does, and CheckRowsMatchStoreAsync fails the run if that ever stops being true.
    private static void Json(TableEntity row, string json)
    {
        if (json.Length > 30_000) throw new InvalidOperationException($"{json.Length} characters of JSON would be split across columns by the store.");
        row["JsonChunks"] = 1;
        row["Json"] = json;
    }

    /// <summary>
    /// Commits one matter through <see cref="MatterStore"/> and one through <see cref="Rows"/>, reads both back and
    /// compares row keys and property names and types, so the floor cannot drift from what the store writes.
    /// </summary>
    private static async Task<string> CheckRowsMatchStoreAsync(BenchRuntime runtime, CancellationToken cancellationToken)
    {
        var lifecycle = runtime.Get<MatterLifecycle>();
        var routing = runtime.Get<DirectoryStore>().Routing;
        var matters = runtime.Get<HotlineTables>().Matters;
        var now = DateTimeOffset.UtcNow;

        var storeId = IntakeService.NewMatterId(now);
        var (state, events, effects) = Submitted(lifecycle, routing, storeId, Intakes.For(1, "shape-store", now), now);
        await runtime.Get<MatterStore>().CommitAsync(null, state, events, effects, now, cancellationToken);
        var floor = Rows(lifecycle, routing, Intakes.For(1, "shape-floor", now), now);
        await matters.SubmitTransactionAsync(floor.Actions, cancellationToken);

        var expected = await ShapeAsync(matters, storeId, cancellationToken);
        var actual = await ShapeAsync(matters, floor.MatterId, cancellationToken);
        if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            throw new InvalidOperationException("The storage floor no longer writes the rows MatterStore writes:\n  store: " +
                string.Join("\n         ", expected) + "\n  floor: " + string.Join("\n         ", actual));
        }
        return $"{expected.Count} rows, same keys and properties as MatterStore.CommitAsync ({string.Join(", ", expected.Select(r => r[..r.IndexOf(' ', StringComparison.Ordinal)]))})";
    }

    private static async Task<List<string>> ShapeAsync(TableClient matters, string matterId, CancellationToken cancellationToken)
    {
        var rows = new List<string>();
        await foreach (var row in matters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {matterId}"), cancellationToken: cancellationToken))
        {
            rows.Add(row.RowKey + " " + string.Join(",", row.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + p.Value.GetType().Name)));
        }
        return rows;
    }
}

internal sealed record FloorReport(LoadResult Load, string Shape, double BuildMicros, double RowsPerMatter);
