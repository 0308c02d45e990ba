using System.Net;
using System.Net.Http.Json;
using Hotline.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Hotline.FunctionApp.Tests;

/// <summary>
/// Both composed hosts export the <c>Hotline</c> meter through OpenTelemetry: an in-memory exporter added to the
/// host's own meter provider receives the instruments the alert rules and the workbook read.
/// </summary>
[Collection("Azurite")]
public sealed class TelemetryTests(AzuriteFixture azurite)
{
    private static Dictionary<string, object?> Matter(string channelRef) => new()
    {
        ["channel"] = "phone", ["channelRef"] = channelRef, ["type"] = "help", ["category"] = "water-pressure",
        ["title"] = "水压不足", ["description"] = "三楼以上没水",
        ["location"] = new Dictionary<string, object?> { ["address"] = "东湖区幸福路12号", ["district"] = "donghu" },
        ["citizen"] = new Dictionary<string, object?> { ["name"] = "张三", ["phone"] = "13800001234" },
    };

    private static HashSet<string> Exported(IServiceProvider services, List<Metric> metrics)
    {
        Assert.True(services.GetRequiredService<MeterProvider>().ForceFlush(10_000), "The meter provider did not flush.");
        return [.. metrics.Select(m => m.Name)];
    }

    private static async Task PostAsync(HttpClient channel, string channelRef)
    {
        using var answer = await channel.PostAsJsonAsync("/api/matters", Matter(channelRef));
        Assert.True(answer.StatusCode == HttpStatusCode.Created, await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_local_host_exports_the_Hotline_meter_including_overdue_supervision_and_alarm_delay()
    {
        var metrics = new List<Metric>();
        var settings = FunctionAppServer.Settings(azurite.ConnectionString, "m" + Guid.NewGuid().ToString("N")[..10]);
        await using var local = new LocalHostApp(settings, "Development",
            services => services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)));
        using var channel = local.CreateClient();
        channel.DefaultRequestHeaders.Add("x-functions-key", FunctionAppServer.ChannelKey);
        await PostAsync(channel, "otel-local-1");

        // The sign-off deadline (2 working hours) passes: the alarm fires late by design, the unit is supervised.
        using var staff = local.CreateClient();
        staff.DefaultRequestHeaders.Add("x-functions-key", FunctionAppServer.StaffKey);
        using var advanced = await staff.PostAsJsonAsync("/api/dev/clock/advance", new { by = "P3D" });
        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);

        var names = Exported(local.Services, metrics);
        Assert.Superset(new HashSet<string>
        {
            "hotline.matters.received", "hotline.sms.sent", "hotline.matters.overdue", "hotline.matters.supervised",
            "hotline.alarms.delay", "hotline.calendar.missing_years", "hotline.effects.poison_list",
            "http.server.request.duration",
        }, names);
    }

    [Fact]
    public async Task The_Function_App_exports_the_Hotline_meter()
    {
        var metrics = new List<Metric>();
        await using var functionApp = await FunctionAppServer.StartAsync(
            FunctionAppServer.Settings(azurite.ConnectionString, "m" + Guid.NewGuid().ToString("N")[..10]),
            services => services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)));
        // Resolved as the worker's start would: the provider exists from the composition, not from the test.
        var provider = functionApp.Services.GetRequiredService<MeterProvider>();
        using var channel = functionApp.CreateClient(FunctionAppServer.ChannelKey);
        await PostAsync(channel, "otel-azure-1");

        Assert.NotNull(provider);
        var names = Exported(functionApp.Services, metrics);
        Assert.Superset(new HashSet<string>
        {
            "hotline.matters.received", "hotline.sms.sent", "hotline.calendar.missing_years", "hotline.effects.poison_list",
        }, names);
    }
}
