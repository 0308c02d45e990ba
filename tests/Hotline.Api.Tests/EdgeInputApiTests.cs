using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>
/// Input that once ended in a 500 (issue 12) is refused at the edge with a problem naming the field, and nothing is
/// written; intake idempotency belongs to the authenticated channel system.
/// </summary>
[Collection("Azurite")]
public sealed class EdgeInputApiTests(AzuriteFixture azurite)
{
    private const string OtherChannelKey = "other-channel-key";

    private static HotlineApp WithSecondChannel(AzuriteFixture azurite, string profile = "fujian") =>
        new(azurite, profile, settings: new Dictionary<string, string?>
        {
            ["Hotline:Keys:Channels:wechat-backend"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OtherChannelKey))),
        });

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task AssertNothingWrittenAsync(HotlineApp app)
    {
        Assert.Empty((await app.Get<MatterIndex>().QueryAsync(new(), app.Clock.GetUtcNow())).Items);
        await foreach (var _ in app.Get<HotlineTables>().Intake.QueryAsync<Azure.Data.Tables.TableEntity>(filter: (string?)null)) Assert.Fail("An intake reservation was left behind.");
    }

    [Theory]
    [InlineData("\"NaN\"", "30.25", "location.lat")]
    [InlineData("30.25", "\"Infinity\"", "location.lon")]
    [InlineData("\"-Infinity\"", "120.1", "location.lat")]
    [InlineData("91", "120.1", "location.lat")]
    public async Task Coordinates_must_be_finite_and_in_range(string lat, string lon, string field)
    {
        await using var app = new HotlineApp(azurite);
        var json = JsonSerializer.Serialize(MatterBody("geo-1")).Replace("\"lat\":30.25,\"lon\":120.16", $"\"lat\":{lat},\"lon\":{lon}", StringComparison.Ordinal);
        using var response = await app.Channel().PostAsync("/api/matters", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task A_channel_reference_is_measured_as_stored()
    {
        await using var app = new HotlineApp(azurite);
        var body = MatterBody(new string('水', 60)); // 60 characters, 540 once URL-escaped
        using var response = await app.Channel().PostAsJsonAsync("/api/matters", body);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("channelRef", out _), problem.ToString());
        await AssertNothingWrittenAsync(app);

        await app.PostMatterAsync(MatterBody(new string('水', 40))); // 360 escaped: fits
    }

    [Theory]
    [InlineData("/api/matters?to=9999-12-31T23:59:59Z", "to")]
    [InlineData("/api/matters?from=0001-01-01T00:00:00Z", "from")]
    [InlineData("/api/reports/hotspots?from=0001-01-01T00:00:00Z&to=0001-06-01T00:00:00Z", "from")]
    [InlineData("/api/reports/hotspots?from=2026-01-01T00:00:00Z&to=2101-06-01T00:00:00Z", "to")]
    public async Task Query_instants_lie_in_the_supported_years(string path, string field)
    {
        await using var app = new HotlineApp(azurite);
        using var response = await app.Staff().GetAsync(path);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("weifang", 3000)]
    [InlineData("guangzhou", 2600)]
    [InlineData("weifang", -1)]
    public async Task A_statutory_limit_out_of_bounds_is_refused_naming_the_field(string profile, int days)
    {
        await using var app = new HotlineApp(azurite, profile);
        var id = (await app.PostMatterAsync(MatterBody("law-1", type: "complaint"))).GetProperty("id").GetString();
        using var response = await app.Staff().PostAsJsonAsync($"/api/matters/{id}/dispatch", new { organizer = "lanhai-water", statutoryLimitWorkingDays = days });
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("statutoryLimitWorkingDays", out _), problem.ToString());
        var matter = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}");
        Assert.Equal("awaitingDispatch", matter.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Each_channel_system_has_its_own_references_and_a_different_report_under_one_is_a_conflict()
    {
        await using var app = WithSecondChannel(azurite);
        var ours = await app.PostMatterAsync(MatterBody("shared-ref"));

        // Another channel system that uses (or guesses) the same reference gets a matter of its own, not ours.
        var theirBody = MatterBody("shared-ref");
        theirBody["title"] = "路灯不亮";
        using var theirs = await app.WithKey(OtherChannelKey).PostAsJsonAsync("/api/matters", theirBody);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        var theirMatter = await theirs.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(ours.GetProperty("id").GetString(), theirMatter.GetProperty("id").GetString());
        Assert.Equal("路灯不亮", theirMatter.GetProperty("title").GetString());

        // The same system retrying with a different report: 409, and nothing of the matter in the answer.
        var changed = MatterBody("shared-ref");
        changed["description"] = "另一件事";
        using var conflict = await app.Channel().PostAsJsonAsync("/api/matters", changed);
        var problem = await ProblemAsync(conflict, HttpStatusCode.Conflict);
        Assert.Equal("intake.different-report", problem.GetProperty("code").GetString());
        var text = problem.ToString();
        Assert.DoesNotContain(ours.GetProperty("id").GetString()!, text, StringComparison.Ordinal);
        Assert.DoesNotContain("水压不足", text, StringComparison.Ordinal);

        // The same report again is still the same matter.
        using var retry = await app.Channel().PostAsJsonAsync("/api/matters", MatterBody("shared-ref"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(ours.GetProperty("id").GetString(), (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }
}
