using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Hotline.Benchmarks;
using Hotline.Testing;

// Targets are printed next to the figures, never asserted: the exit code says whether the benchmark ran, not
// whether the machine was fast enough.
BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"Hotline benchmark ({(settings.Quick ? "--quick smoke run" : "full run")}), {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}"));
Console.WriteLine(string.Create(inv,
    $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}; Azurite {AzuriteVersion()} in memory on loopback, sharing the cores"));
Console.WriteLine(string.Create(inv,
    $"Load: {settings.Concurrency} concurrent writers, closed loop, {settings.Warmup.TotalSeconds:0} s warm-up + {settings.Window.TotalSeconds:0} s measured per scenario"));

var failed = false;
FloorReport? floor = null;
FloorReport? floorAfter = null;
IntakeReport? intake = null;
AlarmReport? alarms = null;
ReportReport? reports = null;
try
{
    await using var azurite = await AzuriteInstance.StartAsync(cancel.Token);
    Console.WriteLine($"Azurite tables at {azurite.TableEndpoint}");

    if (settings.Runs(1) || settings.Runs(2))
    {
        floor = await StorageFloor.RunAsync(azurite.ConnectionString, settings, cancel.Token);
        Print.Floor(floor, "1. Storage floor: one entity-group transaction of a new matter's rows, TableClient.SubmitTransactionAsync");
        failed |= floor.Load.Errors > 0;
    }
    if (settings.Runs(2))
    {
        intake = await IntakeScenario.RunAsync(azurite.ConnectionString, settings, cancel.Token);
        Print.Intake(intake, floor!, settings);
        failed |= intake.Load.Errors > 0 || !intake.Drained;
        if (!settings.Quick)
        {
            // Other people's builds and tests share this machine; a second floor after the intake shows how much the
            // conditions moved while the intake ran, and the ratio is taken against both.
            floorAfter = await StorageFloor.RunAsync(azurite.ConnectionString, settings, cancel.Token);
            Print.Floor(floorAfter, "1'. Storage floor again, after the intake, on fresh tables");
            failed |= floorAfter.Load.Errors > 0;
        }
    }
    if (settings.Runs(3))
    {
        alarms = await AlarmScenario.RunAsync(azurite.ConnectionString, settings, cancel.Token);
        Print.Alarms(alarms, settings);
        failed |= alarms.Undelivered > 0;
    }
    if (settings.Runs(4))
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"== 4. Reports with {settings.ReportMatters:N0} matters of one month in the projections: AssessmentReports.OrganizersAsync and HotspotsAsync =="));
        reports = await ReportScenario.RunAsync(azurite.ConnectionString, settings, cancel.Token);
        Print.Reports(reports);
        failed |= !reports.Same;
    }
}
catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
{
    Console.Error.WriteLine($"The benchmark failed: {e}");
    failed = true;
}

Print.Summary(floor, floorAfter, intake, alarms, reports);
Console.WriteLine(failed ? "The run had errors (see above): exit code 1." : "Run complete.");
return failed ? 1 : 0;

static string AzuriteVersion()
{
    try
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteInstance.FindRepositoryRoot().FullName, "node_modules", "azurite", "package.json")));
        return package.RootElement.GetProperty("version").GetString() ?? "?";
    }
    catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or KeyNotFoundException)
    {
        return "(version unknown)";
    }
}
