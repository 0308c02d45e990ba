using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotline.Runtime;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

[Collection("Azurite")]
public sealed class MatterApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Posting_a_matter_answers_201_and_the_same_reference_again_200_with_the_same_matter()
    {
        await using var app = new HotlineApp(azurite);
        using var first = await app.Channel().PostAsJsonAsync("/api/matters", MatterBody("c-1"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/api/matters/{id}", first.Headers.Location!.ToString());
        Assert.Equal("awaitingDispatch", created.GetProperty("status").GetString());
        Assert.Equal("2026-03-03T17:30:00+08:00", created.GetProperty("deadlines").GetProperty("dispatchBy").GetString());
        Assert.Equal("张*", created.GetProperty("citizen").GetProperty("name").GetString());
        Assert.Equal("138****1234", created.GetProperty("citizen").GetProperty("phone").GetString());

        using var again = await app.Channel().PostAsJsonAsync("/api/matters", MatterBody("c-1"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Keys_are_required_and_a_channel_key_cannot_reach_staff_routes()
    {
        await using var app = new HotlineApp(azurite);
        var matter = await app.PostMatterAsync(MatterBody("k-1"));
        var id = matter.GetProperty("id").GetString();

        using var none = await app.WithKey(null).PostAsJsonAsync("/api/matters", MatterBody("k-2"));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using var wrong = await app.WithKey("guess").GetAsync($"/api/matters/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var channelOnStaff = await app.Channel().GetAsync($"/api/matters/{id}");
        Assert.Equal(HttpStatusCode.Forbidden, channelOnStaff.StatusCode);
        Assert.Equal("application/problem+json", channelOnStaff.Content.Headers.ContentType!.MediaType);
        using var staffOnChannel = await app.Staff().PostAsJsonAsync("/api/matters", MatterBody("k-3"));
        Assert.Equal(HttpStatusCode.Forbidden, staffOnChannel.StatusCode);
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "{\"channel\":\"phone\"", "body", "malformed JSON" },
        { "[1,2]", "body", "not an object" },
        { "{\"channel\":\"fax\"}", "channel", "unknown enum value" },
        { "{\"channel\":3}", "channel", "a number for an enum" },
        { "{\"channel\":\"phone\",\"title\":42}", "title", "wrong type" },
        { "{\"channel\":\"phone\",\"receivedAt\":\"2026-02-30T10:00:00+08:00\"}", "receivedAt", "impossible instant" },
        { "{\"channel\":\"phone\",\"receivedAt\":\"2026-03-01T10:00:00\"}", "receivedAt", "instant without offset" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_json_gets_a_400_problem_naming_the_field_and_writes_nothing(string json, string field, string why)
    {
        await using var app = new HotlineApp(azurite);
        using var response = await app.Channel().PostAsync("/api/matters", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{why}: {problem}");
        Assert.Empty((await app.Get<Hotline.Runtime.Projections.MatterIndex>().QueryAsync(new(), app.Clock.GetUtcNow())).Items);
    }

    [Theory]
    [InlineData("channelRef", null, "channelRef")]
    [InlineData("type", "question", "type")]
    [InlineData("citizen", null, "citizen")]
    [InlineData("location", null, "location")]
    public async Task Missing_or_unknown_fields_are_named(string remove, string? replaceWith, string field)
    {
        await using var app = new HotlineApp(azurite);
        var body = MatterBody("m-1");
        if (replaceWith is null) body.Remove(remove); else body[remove] = replaceWith;
        using var response = await app.Channel().PostAsJsonAsync("/api/matters", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Nested_fields_future_instants_and_bad_phones_are_named()
    {
        await using var app = new HotlineApp(azurite);
        var body = MatterBody("n-1");
        body["citizen"] = new Dictionary<string, object?> { ["phone"] = "call me maybe" };
        body["location"] = new Dictionary<string, object?> { ["address"] = "幸福路", ["lat"] = 95.0, ["lon"] = 120.0 };
        body["receivedAt"] = "2026-03-02T12:00:00+08:00"; // the clock says 09:00
        using var response = await app.Channel().PostAsJsonAsync("/api/matters", body);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("citizen.phone", out _));
        Assert.True(errors.TryGetProperty("location.lat", out _));
        Assert.True(errors.TryGetProperty("receivedAt", out _));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        await using var app = new HotlineApp(azurite);
        var body = MatterBody("big-1");
        body["description"] = new string('水', 70_000);
        using var response = await app.Channel().PostAsJsonAsync("/api/matters", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_matters_get_404_and_lifecycle_refusals_carry_their_code()
    {
        await using var app = new HotlineApp(azurite);
        using var missing = await app.Staff().PostAsJsonAsync("/api/matters/20260302AAAAAAAA/dispatch", new { organizer = "lanhai-water" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var weird = await app.Staff().GetAsync("/api/matters/..%2F..%2Fetc");
        Assert.Equal(HttpStatusCode.NotFound, weird.StatusCode);

        var id = (await app.PostMatterAsync(MatterBody("r-1"))).GetProperty("id").GetString();
        using var notConsultation = await app.Staff().PostAsJsonAsync($"/api/matters/{id}/answer", new { answer = "请拨打供水热线" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notConsultation.StatusCode);
        var problem = await notConsultation.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("answer.not-consultation", problem.GetProperty("code").GetString());
        Assert.Equal("/problems/answer.not-consultation", problem.GetProperty("type").GetString());

        await app.StaffPostAsync($"/api/matters/{id}/dispatch", new { organizer = "lanhai-water" });
        using var twice = await app.Staff().PostAsJsonAsync($"/api/matters/{id}/dispatch", new { organizer = "lanhai-water" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("status.invalid", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        using var noBody = await app.Staff().PostAsJsonAsync($"/api/matters/{id}/extension-decision", new { note = "?" });
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
    }

    [Fact]
    public async Task Staff_see_citizens_masked_unless_they_reveal_and_every_reveal_is_audited()
    {
        await using var app = new HotlineApp(azurite);
        var id = (await app.PostMatterAsync(MatterBody("p-1"))).GetProperty("id").GetString()!;
        var masked = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}");
        Assert.Equal("138****1234", masked.GetProperty("citizen").GetProperty("phone").GetString());
        Assert.Empty(await app.Get<DisclosureAudit>().ForMatterAsync(id));

        var revealed = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}?reveal=citizen");
        Assert.Equal("13800001234", revealed.GetProperty("citizen").GetProperty("phone").GetString());
        var audit = Assert.Single(await app.Get<DisclosureAudit>().ForMatterAsync(id));
        Assert.Equal(("dev-staff", "citizen"), (audit.Staff, audit.What));
    }

    [Fact]
    public async Task The_citizen_follows_progress_with_their_phone_and_learns_nothing_with_another()
    {
        await using var app = new HotlineApp(azurite);
        var id = (await app.PostMatterAsync(MatterBody("g-1"))).GetProperty("id").GetString()!;
        await app.StaffPostAsync($"/api/matters/{id}/dispatch", new { organizer = "lanhai-water" });

        var progress = await app.Channel().GetFromJsonAsync<JsonElement>($"/api/matters/{id}/progress?phone=138-0000-1234");
        Assert.Equal("awaitingSignOff", progress.GetProperty("status").GetString());
        Assert.Equal("lanhai-water", progress.GetProperty("organizer").GetString());
        Assert.Equal(["matterSubmitted", "matterDispatched"], progress.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("event").GetString()));
        Assert.DoesNotContain("13800001234", progress.ToString(), StringComparison.Ordinal);

        using var other = await app.Channel().GetAsync($"/api/matters/{id}/progress?phone=13900000000");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Staff_list_matters_by_status_organizer_and_overdue_with_paging()
    {
        await using var app = new HotlineApp(azurite);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await app.PostMatterAsync(MatterBody($"l-{i}"))).GetProperty("id").GetString()!;
            ids.Add(id);
        }
        await app.StaffPostAsync($"/api/matters/{ids[0]}/dispatch", new { organizer = "lanhai-water" });

        var waiting = await app.Staff().GetFromJsonAsync<JsonElement>("/api/matters?status=awaitingDispatch");
        Assert.Equal(2, waiting.GetProperty("items").GetArrayLength());
        var water = await app.Staff().GetFromJsonAsync<JsonElement>("/api/matters?organizer=lanhai-water");
        Assert.Equal(ids[0], water.GetProperty("items")[0].GetProperty("id").GetString());
        var page = await app.Staff().GetFromJsonAsync<JsonElement>("/api/matters?pageSize=2");
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var token = page.GetProperty("continuationToken").GetString();
        var rest = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters?pageSize=2&continuationToken={token}");
        Assert.Equal(1, rest.GetProperty("items").GetArrayLength());

        using var bad = await app.Staff().GetAsync("/api/matters?status=lost&pageSize=0&from=yesterday");
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("status", out _) && errors.TryGetProperty("pageSize", out _) && errors.TryGetProperty("from", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route()
    {
        await using var app = new HotlineApp(azurite);
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/matters", "/api/matters/{id}", "/api/matters/{id}/dispatch", "/api/matters/{id}/evaluation", "/api/matters/{id}/progress", "/api/health" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
        Assert.True(doc.GetProperty("components").GetProperty("schemas").TryGetProperty("MatterBody", out _));
    }
}
