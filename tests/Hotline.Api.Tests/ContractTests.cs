using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Hotline.Api.Open311;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>
/// The integrator contract: the OpenAPI document (which also checks every answer of every API test, see
/// <see cref="OpenApiContractFilter"/>), problem JSON for the framework's own errors, the pages' security headers and
/// no-store on personal data, the budget of failed authentications, plain dates in lists and reports, Open311 as real
/// clients use it, and organizer links revoked when they must stop working.
/// </summary>
[Collection("Azurite")]
public sealed class ContractTests(AzuriteFixture azurite)
{
    private const string V2 = "/open311/v2";

    [Fact]
    public async Task The_document_declares_the_key_schemes_and_each_operations_security_statuses_parameters_and_what_may_be_absent()
    {
        await using var app = new HotlineApp(azurite);
        var doc = (await app.ContractAsync()).Document;
        var schemes = doc["components"]!["securitySchemes"]!;
        Assert.Equal("apiKey", (string?)schemes["functionKey"]!["type"]);
        Assert.Equal("header", (string?)schemes["functionKey"]!["in"]);
        Assert.Equal("x-functions-key", (string?)schemes["functionKey"]!["name"]);
        Assert.Equal("query", (string?)schemes["open311ApiKey"]!["in"]);
        Assert.Equal("api_key", (string?)schemes["open311ApiKey"]!["name"]);

        var paths = doc["paths"]!;
        var list = paths["/api/matters"]!["get"]!;
        Assert.True(list["security"]![0]!.AsObject().ContainsKey("functionKey"));
        foreach (var status in new[] { "200", "400", "401", "403", "429" }) Assert.True(list["responses"]!.AsObject().ContainsKey(status), status);
        Assert.Equal(["status", "organizer", "overdue", "from", "to", "pageSize", "continuationToken"], Names(list));
        var progress = paths["/api/matters/{id}/progress"]!["get"]!;
        Assert.Contains(progress["parameters"]!.AsArray(), p => (string?)p!["name"] == "phone" && (bool?)p["required"] == true);
        Assert.Contains("404", progress["responses"]!.AsObject().Select(r => r.Key));
        Assert.Contains("from", Names(paths["/api/reports/organizers"]!["get"]!));

        // Health and the organizer's link need no key; the link's own failures are documented.
        Assert.Null(paths["/api/health"]!["get"]!["security"]);
        var link = paths["/api/o/{token}"]!["get"]!;
        Assert.Null(link["security"]);
        Assert.True(link["responses"]!.AsObject().ContainsKey("404") && link["responses"]!.AsObject().ContainsKey("429"));

        // Open311: every error status, in both formats; the key optional to read and required to post.
        var post = paths["/open311/v2/requests.{format}"]!["post"]!;
        foreach (var status in new[] { "200", "400", "403", "404", "429" })
            Assert.True(post["responses"]![status]!["content"]!.AsObject().ContainsKey("text/xml"), status);
        Assert.True(post["requestBody"]!["content"]!.AsObject().ContainsKey("application/x-www-form-urlencoded"));
        Assert.DoesNotContain(post["security"]!.AsArray(), r => r!.AsObject().Count == 0);
        Assert.Contains(paths["/open311/v2/requests.{format}"]!["get"]!["security"]!.AsArray(), r => r!.AsObject().Count == 0);
        Assert.Contains("start_date", Names(paths["/open311/v2/requests.{format}"]!["get"]!));

        // Properties left out when null are not required.
        var schemas = doc["components"]!["schemas"]!;
        Assert.DoesNotContain("error", Required(schemas["StorageHealth"]!));
        Assert.Contains("reachable", Required(schemas["StorageHealth"]!));
        Assert.DoesNotContain("continuationToken", Required(schemas["MatterPage"]!));
        Assert.Contains("items", Required(schemas["MatterPage"]!));

        static string[] Names(JsonNode operation) => [.. operation["parameters"]!.AsArray().Where(p => (string?)p!["in"] == "query").Select(p => (string)p!["name"]!)];
        static string[] Required(JsonNode schema) => [.. (schema["required"] as JsonArray ?? []).Select(n => (string)n!)];
    }

    [Fact]
    public async Task The_frameworks_own_errors_are_problem_json()
    {
        await using var app = new HotlineApp(azurite);
        using var unknown = await app.Staff().GetAsync("/api/no-such-thing");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        using var odd = await app.CreateClient().GetAsync("/nothing/here");
        await AssertProblemAsync(odd, HttpStatusCode.NotFound);
        using var method = await app.Staff().DeleteAsync("/api/matters");
        await AssertProblemAsync(method, HttpStatusCode.MethodNotAllowed);
        using var text = await app.Channel().PostAsync("/api/matters", new StringContent("channel=phone", Encoding.UTF8, "text/plain"));
        await AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType);
        using var html = await app.CreateClient().GetAsync("/assets/organizer.html");
        await AssertProblemAsync(html, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pages_carry_a_content_policy_and_no_framing_everything_is_nosniff_and_personal_data_is_never_cached()
    {
        await using var app = new HotlineApp(azurite);
        var (id, token) = await AssignedAsync(app, "c-headers");
        var web = app.CreateClient();
        foreach (var path in new[] { $"/o/{token}", "/o/AAAAAAAAAAAAAAAAAAAAAA", "/dashboard", "/workbench" })
        {
            using var page = await web.GetAsync(path);
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));
            AssertNoSniff(page);
            Assert.True(page.Headers.CacheControl!.NoStore, path);
        }
        foreach (var path in new[] { "/assets/organizer.js", "/assets/organizer.css", "/dashboard/assets/dashboard.js", "/dashboard/assets/staff.js", "/api/health" })
        {
            using var asset = await web.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            AssertNoSniff(asset);
        }
        // Both staff pages load the one shared script from this origin, before their own.
        foreach (var (page, own) in new[] { ("/dashboard", "/dashboard/assets/dashboard.js"), ("/workbench", "/workbench/assets/workbench.js") })
        {
            var html = await web.GetStringAsync(page);
            var shared = html.IndexOf("<script src=\"/dashboard/assets/staff.js\"", StringComparison.Ordinal);
            Assert.True(shared >= 0 && shared < html.IndexOf($"<script src=\"{own}\"", StringComparison.Ordinal), page);
        }

        using var organizerView = await web.GetAsync($"/api/o/{token}");
        Assert.Contains("13800001234", await organizerView.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(organizerView.Headers.CacheControl!.NoStore);
        AssertNoSniff(organizerView);
        using var revealed = await app.Staff().GetAsync($"/api/matters/{id}?reveal=citizen");
        Assert.Contains("13800001234", await revealed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(revealed.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Failed_authentications_are_limited_per_client_address_with_429_and_retry_after_and_then_even_a_right_key_waits()
    {
        await using var app = new HotlineApp(azurite, settings: new Dictionary<string, string?> { ["Hotline:RateLimit:FailedAuthenticationsPerMinute"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await app.WithKey("guess-" + i).GetAsync("/api/profile");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var limited = await app.WithKey("guess-3").GetAsync("/api/profile");
        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter!.Delta);
        // Past the budget a right key is not read either: a lucky guess looks like every other guess.
        using var right = await app.Staff().GetAsync("/api/profile");
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        using var open311 = await app.CreateClient().GetAsync($"{V2}/requests.json?api_key={ChannelKey}");
        Assert.Equal(HttpStatusCode.TooManyRequests, open311.StatusCode);
        Assert.NotNull(open311.Headers.RetryAfter);
        Assert.Equal(429, (await open311.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("code").GetInt32());
        using var link = await app.CreateClient().GetAsync("/api/o/AAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.TooManyRequests, link.StatusCode);
        // Reads that need no key are not affected.
        using var health = await app.CreateClient().GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Lists_and_reports_take_plain_dates_in_china_time_with_to_inclusive_as_well_as_instants()
    {
        await using var app = new HotlineApp(azurite, now: T("2026-03-02 23:30"));
        var id = (await app.PostMatterAsync(MatterBody("c-dates"))).GetProperty("id").GetString()!;
        var staff = app.Staff();

        async Task<string[]> Listed(string query) =>
            [.. (await staff.GetFromJsonAsync<JsonElement>("/api/matters?" + query)).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
        Assert.Contains(id, await Listed("from=2026-03-02&to=2026-03-02"));
        Assert.DoesNotContain(id, await Listed("from=2026-03-01&to=2026-03-01"));
        Assert.DoesNotContain(id, await Listed("from=2026-03-03"));
        Assert.Contains(id, await Listed("from=2026-03-02T23:00:00%2B08:00&to=2026-03-02T23:59:00%2B08:00"));
        Assert.Contains(id, await Listed("from=2026-03-02T15:00:00Z")); // 23:00 in China

        var report = await staff.GetFromJsonAsync<JsonElement>("/api/reports/hotspots?from=2026-03-01&to=2026-03-02");
        Assert.Equal(T("2026-03-01 00:00"), report.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(T("2026-03-03 00:00"), report.GetProperty("to").GetDateTimeOffset());
        using var organizers = await staff.GetAsync("/api/reports/organizers?from=2026-02-01&to=2026-02-28");
        Assert.Equal(HttpStatusCode.OK, organizers.StatusCode);

        foreach (var bad in new[] { "from=2026-3-1", "to=2026-02-30", "from=20260301" })
        {
            using var refused = await staff.GetAsync("/api/reports/hotspots?" + bad);
            var problem = await AssertProblemAsync(refused, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(bad.Split('=')[0], out _), bad);
        }
    }

    [Fact]
    public async Task Open311_takes_an_email_instead_of_a_phone_and_names_both_when_neither_is_sent()
    {
        await using var app = new HotlineApp(azurite);
        var form = Form("东湖路路灯不亮已经一周");
        form.Remove("phone");
        using var created = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("service_request_id").GetString()!;
        var matter = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}?reveal=citizen");
        Assert.Equal("li@example.cn", matter.GetProperty("citizen").GetProperty("email").GetString());
        var masked = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}");
        Assert.Equal("l*@example.cn", masked.GetProperty("citizen").GetProperty("email").GetString());
        // No phone: the progress lookup by phone finds nothing, even with an empty one.
        using var progress = await app.Channel().GetAsync($"/api/matters/{id}/progress?phone=x");
        Assert.Equal(HttpStatusCode.NotFound, progress.StatusCode);

        form = Form("东湖路路灯不亮已经两周");
        form.Remove("phone");
        form.Remove("email");
        using var anonymous = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
        var error = Assert.Single((await anonymous.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        Assert.Contains("phone or email", error.GetProperty("description").GetString(), StringComparison.Ordinal);

        form["email"] = "not-an-address";
        using var badEmail = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        Assert.Contains("email", (await badEmail.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open311_serves_browsers_with_cors_and_answers_a_preflight()
    {
        await using var app = new HotlineApp(azurite);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"{V2}/requests.json");
        preflight.Headers.Add("Origin", "https://app.example.cn");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answer = await app.CreateClient().SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("*", Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);

        using var services = await app.CreateClient().GetAsync($"{V2}/services.json");
        Assert.Equal("*", Assert.Single(services.Headers.GetValues("Access-Control-Allow-Origin")));
        using var missing = await app.CreateClient().GetAsync($"{V2}/requests/NOPE0000.xml");
        Assert.Equal("*", Assert.Single(missing.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Open311_xml_keeps_emoji_and_rare_characters_and_drops_only_what_xml_cannot_carry()
    {
        Assert.Equal("a😀b𠀀c", Open311Document.XmlSafe("a😀b\u0001𠀀c\ud800"));
        Assert.Equal("纯文本", Open311Document.XmlSafe("纯文本"));

        await using var app = new HotlineApp(azurite);
        var id = await PostAsync(app, Form("路面塌陷😀 𠀀字\u0001"));
        var xml = XDocument.Parse(await app.CreateClient().GetStringAsync($"{V2}/requests/{id}.xml?api_key={ChannelKey}"));
        Assert.Equal("路面塌陷😀 𠀀字", xml.Root!.Element("request")!.Element("description")!.Value);
    }

    [Fact]
    public async Task Open311_shows_a_free_category_from_another_channel_under_a_listed_service()
    {
        await using var app = new HotlineApp(azurite);
        var id = (await app.PostMatterAsync(MatterBody("c-free", category: "neighbourhood-dispute"))).GetProperty("id").GetString()!;
        var listed = (await app.CreateClient().GetFromJsonAsync<JsonElement>($"{V2}/services.json")).EnumerateArray().Select(s => s.GetProperty("service_code").GetString()).ToArray();
        Assert.DoesNotContain("neighbourhood-dispute", listed);
        var request = (await app.CreateClient().GetFromJsonAsync<JsonElement>($"{V2}/requests/{id}.json"))[0];
        Assert.Equal(Open311Catalog.OtherCode, request.GetProperty("service_code").GetString());
        Assert.Contains(Open311Catalog.OtherCode, listed);
        var filtered = await app.CreateClient().GetFromJsonAsync<JsonElement>($"{V2}/requests.json?service_code=other");
        Assert.Contains(filtered.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == id);
    }

    [Fact]
    public async Task An_approved_return_revokes_the_old_units_links_and_tells_it_without_a_link()
    {
        await using var app = new HotlineApp(azurite);
        var (id, token) = await AssignedAsync(app, "c-return");
        var web = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await web.PostAsJsonAsync($"/api/o/{token}/return", new { reason = "供水管网属水务集团二公司，非本单位" })).StatusCode);
        await app.StaffPostAsync($"/api/matters/{id}/return-decision", new { approve = true, reassignTo = "donghu-gov" });

        Assert.True(await RevokedAsync(app, token));
        var messages = await app.Get<SmsOutbox>().ListAsync(id);
        var decided = Assert.Single(messages, m => m.NoticeKind == "ReturnDecided");
        Assert.DoesNotContain("/o/", decided.Text, StringComparison.Ordinal);
        // The new unit's link works.
        var assigned = messages.Last(m => m.NoticeKind == "Assignment");
        using var fresh = await web.GetAsync("/api/o/" + assigned.Text[(assigned.Text.IndexOf("/o/", StringComparison.Ordinal) + 3)..]);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task Closing_a_matter_revokes_its_links()
    {
        await using var app = new HotlineApp(azurite);
        var (id, token) = await AssignedAsync(app, "c-close");
        var (survivor, _) = await AssignedAsync(app, "c-close-survivor");
        await app.StaffPostAsync($"/api/matters/{id}/merge", new { into = survivor });
        Assert.True(await RevokedAsync(app, token));
        using var gone = await app.CreateClient().GetAsync($"/api/o/{token}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_new_handler_makes_the_links_sent_to_the_old_one_stop_working()
    {
        await using var app = new HotlineApp(azurite);
        var (id, token) = await AssignedAsync(app, "c-handler");
        var organizer = (await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}")).GetProperty("organizer").GetString()!;
        using var list = await app.Staff().GetAsync("/api/organizers");
        var unit = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("units").EnumerateArray().Single(u => u.GetProperty("id").GetString() == organizer);
        var changed = JsonNode.Parse(unit.GetRawText())!.AsObject();
        changed["handler"] = new JsonObject { ["name"] = "新办事员", ["phone"] = "13905710000" };

        // The same handler again changes nothing.
        using (var same = await PutAsync(app, organizer, JsonNode.Parse(unit.GetRawText())!, list.Headers.ETag!.Tag))
        {
            Assert.Equal(HttpStatusCode.OK, same.StatusCode);
            Assert.False(await RevokedAsync(app, token));
            using var put = await PutAsync(app, organizer, changed, same.Headers.ETag!.Tag);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        Assert.True(await RevokedAsync(app, token));
        using var old = await app.CreateClient().GetAsync($"/api/o/{token}");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    private static async Task<HttpResponseMessage> PutAsync(HotlineApp app, string organizer, JsonNode body, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/organizers/{organizer}") { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        return await app.Staff().SendAsync(request);
    }

    /// <summary>Whether the link's row says revoked: revoked in storage, not merely refused because of the matter's state.</summary>
    private static async Task<bool> RevokedAsync(HotlineApp app, string token)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        var row = await app.Get<HotlineTables>().Links.GetEntityAsync<Azure.Data.Tables.TableEntity>(hash[..2], hash);
        return row.Value.GetBoolean("Revoked") == true;
    }

    private static async Task<(string Id, string Token)> AssignedAsync(HotlineApp app, string channelRef)
    {
        var id = (await app.PostMatterAsync(MatterBody(channelRef, category: "water-pressure"))).GetProperty("id").GetString()!;
        var sms = Assert.Single(await app.Get<SmsOutbox>().ListAsync(id));
        return (id, sms.Text[(sms.Text.IndexOf("/o/", StringComparison.Ordinal) + 3)..]);
    }

    private static Dictionary<string, string> Form(string description) => new()
    {
        ["api_key"] = ChannelKey,
        ["service_code"] = "road-lighting",
        ["address_string"] = "东湖区东湖路1号",
        ["email"] = "li@example.cn",
        ["phone"] = "13800005678",
        ["description"] = description,
    };

    private static async Task<string> PostAsync(HotlineApp app, Dictionary<string, string> form)
    {
        using var response = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("service_request_id").GetString()!;
    }

    private static void AssertNoSniff(HttpResponseMessage response) =>
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
