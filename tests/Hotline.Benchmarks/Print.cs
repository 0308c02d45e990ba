using System.Globalization;

namespace Hotline.Benchmarks;

/// <summary>The console report: each scenario's figures with the evidence behind them, then a summary against the targets.</summary>
internal static class Print
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static void Line(FormattableString text) => Console.WriteLine(text.ToString(Inv));

    private static string F(FormattableString text) => text.ToString(Inv);

    private static void Heading(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title} ==");
    }

    public static void Floor(FloorReport floor, string title)
    {
        Heading(title);
        Line($"   rows: {floor.Shape}");
        Line($"   rows per matter over the intake mix: {floor.RowsPerMatter:0.0} (matters with a certain route are dispatched at intake and plan their alarms and SMS)");
        Line($"   building the rows (decide, fold, plan, JSON) costs {floor.BuildMicros:0} µs per matter, inside each operation");
        Load(floor.Load);
    }

    public static void Intake(IntakeReport intake, FloorReport floor, BenchSettings settings)
    {
        Heading("2. Intake end to end: IntakeService.SubmitAsync, effects in the background on RuntimeWorker (as the local host)");
        if (settings.SeedIndex > 0)
        {
            Line($"   staff index seeded first with {settings.SeedIndex:N0} matters received over the past week ({intake.Seeded.TotalSeconds:0} s)");
            Line($"   DuplicateFinder.FindAsync alone (a new matter's effect, after the answer): {intake.DuplicateSearchEmpty} on the empty index; {intake.DuplicateSearchSeeded} on the seeded one");
        }
        Load(intake.Load);
        Line($"   ratio to the storage floor of this run: {intake.Load.PerSecond / floor.Load.PerSecond:P0} of its throughput; p50 {intake.Load.Latency.P50 / floor.Load.Latency.P50:0.0}x, p99 {intake.Load.Latency.P99 / floor.Load.Latency.P99:0.0}x its latency");
        Line($"   with the effects counted (first request to last effect, {intake.WholeRun.Wall.TotalSeconds:0} s): {intake.SustainedPerSecond:N1} matters/s sustained, {intake.SustainedPerSecond / floor.Load.PerSecond:P0} of the floor");
        Line($"   CPU per accepted matter, effects included: {intake.WholeRun.Self.TotalMilliseconds / intake.Accepted:0.00} ms here + {intake.WholeRun.Azurite.TotalMilliseconds / intake.Accepted:0.00} ms Azurite (floor: {floor.Load.Cpu.Self.TotalMilliseconds / floor.Load.Completed:0.00} + {floor.Load.Cpu.Azurite.TotalMilliseconds / floor.Load.Completed:0.00} ms)");
        Line($"   effect backlog: {intake.BacklogAtEnd:N0} matters' effects queued when the load stopped (peak {intake.BacklogPeak:N0}); {(intake.Drained ? "drained" : "NOT drained")} in {intake.Drain.TotalSeconds:0.0} s after the load stopped");
        Line($"   during the drain: {intake.DrainCpu.Describe(0)}");
        Line($"   storage requests per accepted matter ({intake.Accepted:N0} accepted, warm-up and drain included): {intake.PerMatter(intake.RequestPathTotal)} on the request path + {intake.PerMatter(intake.BackgroundTotal)} in the background (the floor: 1)");
        Line($"      {"",-42} {"per matter",10} {"requests",9} {"mean ms",8}");
        foreach (var r in intake.Requests)
        {
            Line($"      {r.Key,-42} {intake.PerMatter(r.Count),10} {r.Count,9:N0} {r.MeanMs,8:0.0}");
        }
        var path = intake.Requests.Where(r => r.Key.StartsWith("request", StringComparison.Ordinal)).ToArray();
        Line($"   time on the request path spent waiting for storage: {path.Sum(r => r.Time.TotalMilliseconds) / Math.Max(1, intake.Accepted):0.0} ms per matter, of which the duplicate search (DuplicateKeys queries) {path.Where(r => r.Key.EndsWith("DuplicateKeys query", StringComparison.Ordinal)).Sum(r => r.Time.TotalMilliseconds) / Math.Max(1, intake.Accepted):0.0} ms");
        Line($"   checks: staff index rows {intake.IndexRows:N0} (accepted {intake.Accepted:N0}), effect rows left {intake.EffectRowsLeft:N0}, sweep alarms left {intake.SweepAlarmsLeft:N0}, dispatch-due alarms scheduled {intake.DispatchAlarms:N0}");
        Line($"   SMS effects: {intake.SmsSent:N0} messages in the outbox, {intake.LinksIssued:N0} organizer links issued ({intake.LinksIssued - intake.SmsSent:N0} effect executions repeated)");
        Line($"   sweep alarms delivered by the pump (a commit's effects not done {intake.SweepDelay.TotalSeconds:0} s after it): {intake.SweepsDuringLoad:N0} while the load ran, {intake.SweepsTotal - intake.SweepsDuringLoad:N0} during the drain");
        Warnings(intake.Warnings, intake.FirstWarnings);
    }

    public static void Alarms(AlarmReport alarms, BenchSettings settings)
    {
        Heading(F($"3. Alarm delivery with {settings.PendingAlarms:N0} pending future alarms: RuntimeWorker's pump (poll 250 ms, batch 100) and effect workers"));
        Line($"   pre-loaded {alarms.Pending:N0} alarms over {alarms.PendingPartitions:N0} hour partitions (4 weeks) in {alarms.Preload.TotalSeconds:0.0} s ({alarms.Pending / alarms.Preload.TotalSeconds:N0} rows/s, transactions of up to 100 rows); plus {alarms.MatterAlarms:N0} alarms of the {alarms.SpreadCount + alarms.BurstCount} real matters");
        Line($"   one poll query with nothing due (ClaimDueAsync's filter, top 100): {alarms.PollBeforePreload} before the pre-load; {alarms.PollAfterPreload} after it");
        Line($"   spread: {alarms.SpreadCount} reminders due evenly from {settings.SpreadLead.TotalSeconds:0} s to {(settings.SpreadLead + settings.SpreadLength).TotalSeconds:0} s after the pump started");
        Line($"      delay to decision (AlarmFired.At - due): {alarms.SpreadDecided}");
        Line($"      delay to commit (state row Timestamp - due): {alarms.SpreadCommitted}");
        foreach (var slice in alarms.SpreadSlices)
        {
            Line($"      due {slice.From.TotalSeconds:0.#}-{slice.To.TotalSeconds:0.#} s: p50 {slice.Delays.P50:0} ms, max {slice.Delays.Max:0} ms (n = {slice.Delays.Count}); other processes meanwhile {slice.OtherCores:0.00} cores");
        }
        Line($"   burst: {alarms.BurstCount} reminders due at one instant, 5 s after the last spread one");
        Line($"      delay to decision: {alarms.BurstDecided}");
        Line($"      delay to commit: {alarms.BurstCommitted}");
        Line($"   not delivered: {alarms.Undelivered}; decided before due: {alarms.Early}; future alarms wrongly delivered: {alarms.BulkDelivered} of {alarms.Pending:N0} pre-loaded (matter reads for them: {alarms.BulkMatterReads}), {alarms.WrongAlarms.Count} of the real matters' other {alarms.MatterAlarms - alarms.SpreadCount - alarms.BurstCount:N0}");
        foreach (var wrong in alarms.WrongAlarms.Take(5)) Line($"      wrong: {wrong}");
        Line($"   {alarms.Cpu.Describe(0)}");
        Line($"   claiming 100 due alarms (median of {alarms.ClaimProbe.Rounds}): {alarms.ClaimProbe.Sequential:0} ms through AlarmIndex.ClaimDueAsync (updates one after another), {alarms.ClaimProbe.Concurrent:0} ms with the same updates issued concurrently");
        Line($"   storage requests while the pump ran ({alarms.Cpu.Wall.TotalSeconds:0} s):");
        foreach (var r in alarms.Requests)
        {
            Line($"      {r.Key,-42} {r.Count,8:N0} ({r.Count / alarms.Cpu.Wall.TotalSeconds:0.0}/s, mean {r.MeanMs:0.0} ms)");
        }
        Warnings(alarms.Warnings, alarms.FirstWarnings);
    }

    public static void Reports(ReportReport r)
    {
        Line($"   seeded {r.Matters:N0} matters, {r.Assignments:N0} assignments of {r.Units} units: facts rows in {r.SeedFacts.TotalSeconds:0.0} s, report and hotspot counters in {r.SeedCounters.TotalSeconds:0.0} s");
        Line($"   counters rows besides the per-matter contributions: {r.CounterRows:N0} (organizer sums and unit lists), {r.HotspotRows:N0} (hotspot counts and place rows)");
        Line($"   organizer report of the month from the counters: {r.Organizers}; {r.OrganizerRequests:N0} storage requests per call");
        Line($"   the same report from the facts rows, as before the counters: {r.FromFacts}");
        Line($"   hotspot report of the month from the counters: {r.Hotspots}; {r.HotspotRequests:N0} storage requests per call");
        Line($"   the same report from the facts rows of both months, as before: {r.HotspotsFromFacts}");
        Line($"   counters and facts rows give {(r.Same ? "the same figures, both reports" : "DIFFERENT figures")}");
    }

    public static void Summary(FloorReport? floor, FloorReport? floorAfter, IntakeReport? intake, AlarmReport? alarms, ReportReport? reports = null)
    {
        Heading("Summary (targets are printed, not asserted; 2 cores shared by the benchmark, the runtime and Azurite)");
        var floorRate = floor is null ? (double?)null : floorAfter is null ? floor.Load.PerSecond : (floor.Load.PerSecond + floorAfter.Load.PerSecond) / 2;
        Row("storage floor, matters/s", floor is null ? null : Rate(floor.Load), "(reference)");
        if (floorAfter is not null) Row("storage floor again, matters/s", Rate(floorAfter.Load), "(reference)");
        Row("intake end to end, matters/s", intake is null ? null : Rate(intake.Load), "(ratios below)");
        Row("intake / storage floor (answered)", floorRate is null || intake is null ? null : F($"{intake.Load.PerSecond / floorRate:P0}"), ">= 50%",
            floorRate is null || intake is null ? null : intake.Load.PerSecond / floorRate >= 0.5);
        Row("intake / floor (effects counted)", floorRate is null || intake is null ? null : F($"{intake.SustainedPerSecond / floorRate:P0} ({intake.SustainedPerSecond:N1}/s sustained)"), ">= 50%",
            floorRate is null || intake is null ? null : intake.SustainedPerSecond / floorRate >= 0.5);
        Row("effect backlog drain after load", intake is null ? null : F($"{intake.Drain.TotalSeconds:0.0} s for {intake.BacklogAtEnd:N0} matters"), "(reported)");
        Row("storage requests per intake", intake is null ? null : $"{intake.PerMatter(intake.RequestPathTotal)} request path + {intake.PerMatter(intake.BackgroundTotal)} background", "(floor: 1)");
        Row("alarm delay p99, spread", alarms is null ? null : F($"{alarms.SpreadCommitted.P99:0} ms to commit (p50 {alarms.SpreadCommitted.P50:0}, max {alarms.SpreadCommitted.Max:0})"), "<= 2000 ms",
            alarms is null ? null : alarms.SpreadCommitted.P99 <= 2000 && alarms.Undelivered == 0);
        Row("alarm delay p99, burst", alarms is null ? null : F($"{alarms.BurstCommitted.P99:0} ms to commit for {alarms.BurstCount} at once (max {alarms.BurstCommitted.Max:0})"), "(reported)");
        Row("future alarms wrongly delivered", alarms is null ? null : F($"{alarms.BulkDelivered + alarms.WrongAlarms.Count} of {alarms.Pending + alarms.MatterAlarms - alarms.SpreadCount - alarms.BurstCount:N0}"), "0",
            alarms is null ? null : alarms.BulkDelivered + alarms.WrongAlarms.Count == 0);
        Row(reports is null ? "organizer report, 100,000 matters" : F($"organizer report, {reports.Matters:N0} matters"), reports is null ? null : F($"{reports.Organizers.P50:0} ms (max {reports.Organizers.Max:0})"),
            "< 1000 ms", reports is null ? null : reports.Organizers.P50 < 1000);
        Row(reports is null ? "hotspot report, 100,000 matters" : F($"hotspot report, {reports.Matters:N0} matters"), reports is null ? null : F($"{reports.Hotspots.P50:0} ms (max {reports.Hotspots.Max:0})"), "(reported)");
        var others = new (string Name, CpuUse? Cpu)[] { ("1", floor?.Load.Cpu), ("2", intake?.Load.Cpu), ("1'", floorAfter?.Load.Cpu), ("3", alarms?.Cpu) }
            .Where(x => x.Cpu is not null).Select(x => F($"{x.Cpu!.Value.OtherCores:0.00} ({x.Name})")).ToArray();
        Row("CPU taken by other processes", others.Length == 0 ? null : string.Join(", ", others) + " cores", "0 (a quiet machine)");
    }

    private static string Rate(LoadResult r) => F($"{r.PerSecond:N0}/s  p50 {r.Latency.P50:0.0} ms  p99 {r.Latency.P99:0.0} ms");

    private static void Row(string name, string? measured, string target, bool? met = null) =>
        Console.WriteLine($"  {name,-34} {measured ?? "not measured",-62} target {target}{(met is null ? "" : met.Value ? "  met" : "  NOT met")}");

    private static void Load(LoadResult r)
    {
        Line($"   {r.PerSecond:N0} matters/s over {r.Window.TotalSeconds:0} s with {r.Concurrency} writers; latency {r.Latency}; errors {r.Errors}{(r.FirstError is null ? "" : " (first: " + r.FirstError + ")")}");
        Console.WriteLine($"   {r.Cpu.Describe(r.Completed)}");
        Console.WriteLine($"   over the window: {r.Trend}");
    }

    private static void Warnings(long count, IReadOnlyCollection<string> first)
    {
        Console.WriteLine($"   runtime warnings and errors logged: {count}");
        foreach (var line in first) Console.WriteLine($"      {line}");
    }
}
