using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>The operators' way to rebuild: the local host started with <c>rebuild-projections</c> rebuilds and exits.</summary>
[Collection("Azurite")]
public sealed class ReportRebuildCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_local_host_started_with_rebuild_projections_rebuilds_the_facts_from_the_events_and_exits()
    {
        await using var app = new HotlineApp(azurite);
        await app.PostMatterAsync(MatterBody("cli-1", category: "water-pressure")); // routed to the water group at intake
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // the default period ends before now
        Assert.Single((await app.Staff().GetFromJsonAsync<JsonElement>("/api/reports/organizers")).GetProperty("organizers").EnumerateArray());
        var facts = app.Get<HotlineTables>().Facts;
        await foreach (var row in facts.QueryAsync<Azure.Data.Tables.TableEntity>()) await facts.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        Assert.Empty((await app.Staff().GetFromJsonAsync<JsonElement>("/api/reports/organizers")).GetProperty("organizers").EnumerateArray());

        // The host's own build output, copied next to this test assembly with its runtimeconfig and Data/ (the content root).
        var folder = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(folder, "Hotline.LocalHost.dll"), "rebuild-projections" }) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        start.Environment["Hotline__TablePrefix"] = app.Prefix;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        // The console logger writes from its own thread, so the result is found by its shape, not by its place.
        var result = JsonDocument.Parse((await stdout).Split('\n').Single(l => l.StartsWith("{\"matters\"", StringComparison.Ordinal))).RootElement;
        Assert.Equal((1, 2), (result.GetProperty("matters").GetInt32(), result.GetProperty("factRows").GetInt32()));
        var report = await app.Staff().GetFromJsonAsync<JsonElement>("/api/reports/organizers");
        Assert.Equal(("lanhai-water", 1), (Assert.Single(report.GetProperty("organizers").EnumerateArray()).GetProperty("organizer").GetString(),
            report.GetProperty("all").GetProperty("received").GetInt32()));
    }
}
