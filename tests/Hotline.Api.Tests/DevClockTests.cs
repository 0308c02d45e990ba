using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary><c>Hotline:Dev:ClockStart</c>: the Development clock starts at a configured instant, then only moves forward.</summary>
[Collection("Azurite")]
public sealed class DevClockTests(AzuriteFixture azurite)
{
    private sealed class ReplayApp(AzuriteFixture azurite, string start) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("AzureWebJobsStorage", azurite.ConnectionString);
            builder.UseSetting("Hotline:TablePrefix", "t" + Guid.NewGuid().ToString("N")[..10]);
            builder.UseSetting("Hotline:PublicBaseUri", "http://localhost/");
            builder.UseSetting("Hotline:Runtime:RunEffectsInline", "true");
            builder.UseSetting("Hotline:Dev:ClockStart", start);
        }
    }

    [Fact]
    public async Task A_scenario_dated_before_today_replays_from_the_configured_start_and_the_clock_still_only_moves_forward()
    {
        var start = T("2026-12-28 09:00");
        await using var app = new ReplayApp(azurite, "2026-12-28T09:00:00+08:00");
        using var client = app.CreateClient();

        var clock = await client.GetFromJsonAsync<JsonElement>("/api/dev/clock");
        var now = clock.GetProperty("now").GetDateTimeOffset();
        Assert.InRange(now, start, start.AddHours(1)); // it runs on from the start at the pace of the real clock

        using var back = await client.PutAsJsonAsync("/api/dev/clock", new { now = start.AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);

        client.DefaultRequestHeaders.Add("x-functions-key", ChannelKey);
        using var posted = await client.PostAsJsonAsync("/api/matters", MatterBody("replay-1", type: "complaint", category: "water-pressure"));
        var matter = await posted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.StartsWith("2026-12-28T09:", matter.GetProperty("receivedAt").GetString(), StringComparison.Ordinal);
        Assert.Equal("[2027]", matter.GetProperty("provisionalDeadlineYears").GetRawText());
    }
}
