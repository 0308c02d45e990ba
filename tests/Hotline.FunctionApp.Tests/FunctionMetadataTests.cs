using System.Text.Json;

namespace Hotline.FunctionApp.Tests;

/// <summary>
/// What the Worker SDK generated for the platform (functions.metadata, copied beside the tests): one anonymous HTTP
/// function for every route, the orchestration, its activities and the timers; host.json hands it every path.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static JsonElement Read(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file))).RootElement;

    [Fact]
    public void The_app_has_one_HTTP_function_beside_the_orchestration_its_activities_and_the_timers()
    {
        var functions = Read("functions.metadata").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("bindings").EnumerateArray().ToArray());

        Assert.Equal(["DirectoryRefresh", "EffectSweep", "FireAlarm", "MatterOrchestration", "NextAlarm", HttpEntry.Name],
            functions.Keys.Order(StringComparer.Ordinal));
        var http = Assert.Single(functions.Values.SelectMany(b => b), b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("{*path}", http.GetProperty("route").GetString());
        Assert.Equal("Anonymous", http.GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Contains(functions[HttpEntry.Name], b => b.GetProperty("type").GetString() == "durableClient");
    }

    [Fact]
    public void Host_json_gives_the_HTTP_function_every_path_and_telemetry_to_OpenTelemetry()
    {
        var host = Read("host.json");
        Assert.Equal("", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("OpenTelemetry", host.GetProperty("telemetryMode").GetString());
    }

    [Fact]
    public void Host_json_creates_the_task_hub_with_the_most_control_queue_partitions()
    {
        // Fixed when the task hub is created: a city's million open matter orchestrations need every worker the
        // Azure Storage provider allows (16), and changing it later means a new task hub (see the README's capacity notes).
        var storage = Read("host.json").GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider");
        Assert.Equal(16, storage.GetProperty("partitionCount").GetInt32());
    }
}
