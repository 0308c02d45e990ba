using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime;
using Hotline.Runtime.Organizers;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>The report API's contract: who may call it, how periods are read, null rates, CSV for spreadsheets.</summary>
[Collection("Azurite")]
public sealed class ReportApiTests(AzuriteFixture azurite)
{
    private const string Unit = "west-water";

    /// <summary>A unit whose names need quoting in CSV, and two matters dispatched to it, one signed.</summary>
    private static async Task<HotlineApp> StartedAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null)
    {
        var app = new HotlineApp(azurite, settings: settings);
        await app.Get<DirectoryStore>().SaveUnitAsync(new OrganizerUnit(Unit, new Text("西区水务，\"东门\"站", "Water, \"East\" Station"),
            new Contact("王办", "13900000011"), new Contact("李局", "13900000012"), [], []), default);
        for (var i = 0; i < 2; i++)
        {
            var id = (await app.PostMatterAsync(MatterBody($"rep-{i}", category: "=SUM(A1)"))).GetProperty("id").GetString()!;
            await app.StaffPostAsync($"/api/matters/{id}/dispatch", new { organizer = Unit });
            if (i == 0)
            {
                app.Clock.Advance(TimeSpan.FromMinutes(30));
                Assert.True((await app.Get<MatterService>().ExecuteAsync(id, new SignMatter(Actor.Organizer(Unit)))).Accepted);
            }
        }
        // Periods end before "now" (they are half-open), and on a frozen clock the second matter came in at exactly now.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return app;
    }

    [Fact]
    public async Task The_default_period_is_the_last_30_days_and_rates_of_too_few_are_an_explicit_null()
    {
        await using var app = await StartedAsync(azurite);

        using var response = await app.Staff().GetAsync("/api/reports/organizers");
        var text = await response.Content.ReadAsStringAsync();
        var report = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2026-03-02T09:31:00+08:00", report.GetProperty("to").GetString());
        Assert.Equal("2026-01-31T09:31:00+08:00", report.GetProperty("from").GetString());
        Assert.Equal(5, report.GetProperty("minimumForRates").GetInt32());
        Assert.False(report.GetProperty("weighted").GetBoolean());
        var unit = Assert.Single(report.GetProperty("organizers").EnumerateArray());
        Assert.Equal((Unit, "Water, \"East\" Station", 2, 1), (unit.GetProperty("organizer").GetString(), unit.GetProperty("name").GetProperty("en").GetString(),
            unit.GetProperty("received").GetInt32(), unit.GetProperty("signedOnTime").GetInt32()));
        var response_ = unit.GetProperty("rates").GetProperty("response");
        Assert.Equal((JsonValueKind.Null, 1), (response_.GetProperty("value").ValueKind, response_.GetProperty("of").GetInt32())); // the other one is not due yet
        Assert.Equal(JsonValueKind.Null, unit.GetProperty("hoursToSign").GetProperty("median").ValueKind);
        Assert.False(unit.TryGetProperty("score", out _) || unit.TryGetProperty("rank", out _));
        Assert.Equal(2, report.GetProperty("all").GetProperty("received").GetInt32());
        Assert.Contains("\"value\":null", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_organizer_can_be_asked_for()
    {
        await using var app = await StartedAsync(azurite);

        var one = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/reports/organizers?organizer={Unit}");
        var none = await app.Staff().GetFromJsonAsync<JsonElement>("/api/reports/organizers?organizer=nobody");

        Assert.Equal(Unit, Assert.Single(one.GetProperty("organizers").EnumerateArray()).GetProperty("organizer").GetString());
        Assert.Empty(none.GetProperty("organizers").EnumerateArray());
        Assert.Equal(2, none.GetProperty("all").GetProperty("received").GetInt32());
    }

    [Fact]
    public async Task Csv_is_rfc_4180_utf_8_with_a_byte_order_mark_and_text_that_looks_like_a_formula_stays_text()
    {
        await using var app = await StartedAsync(azurite);
        var staff = app.Staff();
        staff.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var organizers = await staff.GetAsync("/api/reports/organizers");
        using var hotspots = await staff.GetAsync("/api/reports/hotspots");
        var bytes = await organizers.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var lines = text.Split("\r\n");

        Assert.Equal("text/csv", organizers.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", organizers.Content.Headers.ContentType.CharSet);
        Assert.StartsWith("organizers-", organizers.Content.Headers.ContentDisposition!.FileName?.Trim('"'), StringComparison.Ordinal);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        Assert.StartsWith("organizer,name.zh,name.en,received,signedOnTime,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{Unit},\"西区水务，\"\"东门\"\"站\",\"Water, \"\"East\"\" Station\",2,1,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("all,全部承办单位,All organizers,2,", lines[2], StringComparison.Ordinal);
        Assert.Equal("", lines[3]); // every record, the last too, ends with CRLF
        Assert.Equal(4, lines.Length);
        var hotspotLines = (await hotspots.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal(["category,count,previous,change", "'=SUM(A1),2,0,", ""], hotspotLines);
    }

    [Fact]
    public async Task Json_stays_the_answer_unless_csv_is_preferred()
    {
        await using var app = await StartedAsync(azurite);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/reports/hotspots");
        request.Headers.Accept.ParseAdd("application/json, text/csv;q=0.5");

        using var response = await app.Staff().SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var category = Assert.Single(report.GetProperty("byCategory").EnumerateArray());
        Assert.Equal(("=SUM(A1)", 2, 0, JsonValueKind.Null), (category.GetProperty("category").GetString(), category.GetProperty("count").GetInt32(),
            category.GetProperty("previous").GetInt32(), category.GetProperty("change").ValueKind));
        Assert.Equal("2026-03-02", Assert.Single(report.GetProperty("byWeek").EnumerateArray()).GetProperty("weekStart").GetString());
        Assert.Equal(2, Assert.Single(report.GetProperty("repeated").EnumerateArray()).GetProperty("count").GetInt32()); // the same address twice
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-03-01T00:00:00", "from")] // no offset: which midnight?
    [InlineData("to=2026-03-32", "to")] // a plain date is welcome, an impossible one is not
    [InlineData("from=2026-03-02T00:00:00%2B08:00&to=2026-03-01T00:00:00%2B08:00", "to")]
    [InlineData("from=2026-03-03T00:00:00%2B08:00", "from")] // after now, and no 'to'
    [InlineData("from=2025-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "to")] // longer than a year and a day
    public async Task A_bad_period_is_a_problem_naming_the_field(string query, string field)
    {
        await using var app = new HotlineApp(azurite);

        foreach (var path in new[] { "/api/reports/organizers?", "/api/reports/hotspots?" })
        {
            using var response = await app.Staff().GetAsync(path + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{path}{query}: {errors}");
        }
    }

    [Fact]
    public async Task An_offset_whose_plus_sign_was_not_encoded_still_reads_as_an_offset()
    {
        await using var app = new HotlineApp(azurite);

        var report = await app.Staff().GetFromJsonAsync<JsonElement>("/api/reports/hotspots?from=2026-03-01T00:00:00+08:00&to=2026-03-02T00:00:00+08:00");

        Assert.Equal("2026-03-01T00:00:00+08:00", report.GetProperty("from").GetString());
        Assert.Equal("2026-02-28T00:00:00+08:00", report.GetProperty("previousFrom").GetString());
    }

    [Fact]
    public async Task Reports_and_the_rebuild_are_for_staff_keys_only()
    {
        await using var app = new HotlineApp(azurite);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/reports/organizers"), (HttpMethod.Get, "/api/reports/hotspots"), (HttpMethod.Post, "/api/projections/rebuild") })
        {
            using var anonymous = await app.WithKey(null).SendAsync(new HttpRequestMessage(method, path));
            using var channel = await app.Channel().SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (anonymous.StatusCode, channel.StatusCode));
        }
    }

    [Fact]
    public async Task Weights_give_a_score_and_a_rank_and_a_weight_that_names_no_rate_is_reported_not_ignored()
    {
        await using var weighted = await StartedAsync(azurite, new Dictionary<string, string?>
        {
            ["Hotline:Assessment:MinimumForRates"] = "1",
            ["Hotline:Assessment:Weights:response"] = "1",
        });
        await using var wrong = new HotlineApp(azurite, settings: new Dictionary<string, string?> { ["Hotline:Assessment:Weights:speed"] = "1" });

        var report = await weighted.Staff().GetFromJsonAsync<JsonElement>("/api/reports/organizers");
        using var refused = await wrong.Staff().GetAsync("/api/reports/organizers");

        Assert.True(report.GetProperty("weighted").GetBoolean());
        var unit = Assert.Single(report.GetProperty("organizers").EnumerateArray());
        Assert.Equal((100.0, 1), (unit.GetProperty("score").GetDouble(), unit.GetProperty("rank").GetInt32()));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Contains("speed", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_report_routes()
    {
        await using var app = new HotlineApp(azurite);

        var paths = (await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        foreach (var path in new[] { "/api/reports/organizers", "/api/reports/hotspots", "/api/projections/rebuild" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
        var content = paths.GetProperty("/api/reports/organizers").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(content.TryGetProperty("text/csv", out _) && content.TryGetProperty("application/json", out _));
    }
}
