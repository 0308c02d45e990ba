using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>
/// Open311 GeoReport v2 over HTTP, checked against the shapes of the spec's examples (wiki.open311.org/GeoReport_v2):
/// element and field names, the error array, the status codes, and the hotline's own rules on top.
/// </summary>
[Collection("Azurite")]
public sealed class Open311Tests(AzuriteFixture azurite)
{
    private const string V2 = "/open311/v2";

    // construction-noise is routed with certain: false, so it waits for a dispatcher instead of being dispatched at intake.
    private static Dictionary<string, string> Form(string description = "工地夜间施工噪声扰民，每晚十一点后仍在打桩", string service = "construction-noise") => new()
    {
        ["api_key"] = ChannelKey,
        ["service_code"] = service,
        ["lat"] = "30.25",
        ["long"] = "120.16",
        ["address_string"] = "东湖区幸福路12号",
        ["email"] = "zhang@example.cn",
        ["device_id"] = "tt222111",
        ["account_id"] = "acct-7",
        ["first_name"] = "三",
        ["last_name"] = "张",
        ["phone"] = "13800001234",
        ["description"] = description,
        ["media_url"] = "https://img.example.cn/photos/123.jpg",
    };

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<XElement> Xml(HttpResponseMessage response)
    {
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("utf-8", document.Declaration!.Encoding, ignoreCase: true);
        Assert.Equal(XNamespace.None, document.Root!.Name.Namespace);
        return document.Root;
    }

    private static async Task<string> PostAsync(HotlineApp app, Dictionary<string, string> form)
    {
        using var response = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await Json(response))[0].GetProperty("service_request_id").GetString()!;
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await Json(response);
    }

    /// <summary>Checks the spec's error array and that each mention appears in some description; returns how many errors.</summary>
    private static async Task<int> AssertErrorsAsync(HttpResponseMessage response, HttpStatusCode status, params string[] mentions)
    {
        Assert.Equal(status, response.StatusCode);
        var errors = await Json(response);
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        var descriptions = errors.EnumerateArray().Select(e => e.GetProperty("description").GetString()!).ToArray();
        Assert.All(errors.EnumerateArray(), e => Assert.Equal((int)status, e.GetProperty("code").GetInt32()));
        foreach (var mention in mentions) Assert.Contains(descriptions, d => d.Contains(mention, StringComparison.Ordinal));
        return descriptions.Length;
    }

    [Fact]
    public async Task Discovery_names_the_v2_endpoint_and_both_formats()
    {
        await using var app = new HotlineApp(azurite);
        using var xmlResponse = await app.CreateClient().GetAsync($"{V2}/discovery.xml");
        var xml = await Xml(xmlResponse);
        Assert.Equal("discovery", xml.Name.LocalName);
        Assert.False(string.IsNullOrWhiteSpace(xml.Element("changeset")?.Value));
        Assert.False(string.IsNullOrWhiteSpace(xml.Element("contact")?.Value));
        Assert.False(string.IsNullOrWhiteSpace(xml.Element("key_service")?.Value));
        var endpoint = Assert.Single(xml.Element("endpoints")!.Elements("endpoint"));
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint.Element("specification")!.Value);
        Assert.Equal("http://localhost/open311/v2", endpoint.Element("url")!.Value);
        Assert.Equal("test", endpoint.Element("type")!.Value); // the Development environment is not production
        Assert.Equal(["text/xml", "application/json"], endpoint.Element("formats")!.Elements("format").Select(f => f.Value));

        var json = await GetJsonAsync(app.CreateClient(), $"{V2}/discovery.json");
        Assert.Equal(xml.Element("changeset")!.Value, json.GetProperty("changeset").GetString());
        var formats = json.GetProperty("endpoints")[0].GetProperty("formats").EnumerateArray().Select(f => f.GetString());
        Assert.Equal(["text/xml", "application/json"], formats);
    }

    [Fact]
    public async Task Services_are_the_directory_categories_named_in_chinese_and_grouped_by_organizer_in_both_formats()
    {
        await using var app = new HotlineApp(azurite);
        using var xmlResponse = await app.CreateClient().GetAsync($"{V2}/services.xml");
        var xml = await Xml(xmlResponse);
        Assert.Equal("services", xml.Name.LocalName);
        var services = xml.Elements("service").ToArray();
        var water = services.Single(s => s.Element("service_code")!.Value == "water-supply");
        Assert.Equal("停水与供水", water.Element("service_name")!.Value);
        Assert.StartsWith("Water supply", water.Element("description")!.Value, StringComparison.Ordinal);
        Assert.Equal("澜海水务集团", water.Element("group")!.Value);
        Assert.Equal("true", water.Element("metadata")!.Value);
        Assert.Equal("realtime", water.Element("type")!.Value);
        Assert.Contains("停水", water.Element("keywords")!.Value, StringComparison.Ordinal);
        Assert.Equal(["service_code", "service_name", "description", "metadata", "type", "keywords", "group"], water.Elements().Select(e => e.Name.LocalName));

        // Every category an organizer owns is offered, and services.json names every one of them.
        var categories = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Data", "organizers.json"))).RootElement
            .EnumerateArray().SelectMany(u => u.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!)).ToHashSet();
        // And "other", under which matters of categories no service covers are shown.
        Assert.Equal([.. categories, "other"], services.Select(s => s.Element("service_code")!.Value).ToHashSet());
        Assert.All(services, s => Assert.NotEqual(s.Element("service_code")!.Value, s.Element("service_name")!.Value));

        var json = await GetJsonAsync(app.CreateClient(), $"{V2}/services.json");
        Assert.Equal(services.Length, json.GetArrayLength());
        var first = json[0];
        Assert.Equal(services[0].Element("service_code")!.Value, first.GetProperty("service_code").GetString());
        Assert.True(first.GetProperty("metadata").GetBoolean());
    }

    [Fact]
    public async Task A_service_definition_offers_the_matter_type_and_an_unknown_code_is_a_404_in_the_spec_error_format()
    {
        await using var app = new HotlineApp(azurite);
        using var xmlResponse = await app.CreateClient().GetAsync($"{V2}/services/water-supply.xml");
        var definition = await Xml(xmlResponse);
        Assert.Equal("service_definition", definition.Name.LocalName);
        Assert.Equal("water-supply", definition.Element("service_code")!.Value);
        var attribute = Assert.Single(definition.Element("attributes")!.Elements("attribute"));
        Assert.Equal("type", attribute.Element("code")!.Value);
        Assert.Equal("singlevaluelist", attribute.Element("datatype")!.Value);
        Assert.Equal("false", attribute.Element("required")!.Value);
        Assert.Equal("1", attribute.Element("order")!.Value);
        Assert.Contains("complaint", attribute.Element("values")!.Elements("value").Select(v => v.Element("key")!.Value));

        using var missing = await app.CreateClient().GetAsync($"{V2}/services/no-such-service.xml");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var errors = await Xml(missing);
        Assert.Equal("errors", errors.Name.LocalName);
        var error = Assert.Single(errors.Elements("error"));
        Assert.Equal("404", error.Element("code")!.Value);
        Assert.Contains("no-such-service", error.Element("description")!.Value, StringComparison.Ordinal);

        using var missingJson = await app.CreateClient().GetAsync($"{V2}/services/no-such-service.json");
        await AssertErrorsAsync(missingJson, HttpStatusCode.NotFound, "no-such-service");
    }

    [Fact]
    public async Task A_form_post_with_api_key_creates_a_request_with_200_as_the_official_swagger_says_and_the_same_form_again_answers_the_same_id()
    {
        await using var app = new HotlineApp(azurite);
        using var created = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(Form()));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var body = await Json(created);
        var request = Assert.Single(body.EnumerateArray());
        // The spec's example: service_request_id, service_notice, account_id — and no token next to an id.
        Assert.Equal(["service_request_id", "service_notice", "account_id"], request.EnumerateObject().Select(p => p.Name));
        var id = request.GetProperty("service_request_id").GetString()!;
        Assert.Matches("^20260302[0-9A-Z]{8}$", id);
        Assert.Equal("acct-7", request.GetProperty("account_id").GetString());
        Assert.Contains("2026-03-03 17:30", request.GetProperty("service_notice").GetString(), StringComparison.Ordinal); // dispatch within one working day
        Assert.Equal($"{V2}/requests/{id}.json", created.Headers.Location!.ToString());

        using var again = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(Form()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Null(again.Headers.Location); // only a new request names where it lives
        Assert.Equal(id, (await Json(again))[0].GetProperty("service_request_id").GetString());

        // Different words are a different report.
        var other = await PostAsync(app, Form("工地凌晨两点还在施工"));
        Assert.NotEqual(id, other);

        // The matter the hotline keeps: channel open311, the citizen's name in Chinese order, the type defaulted to complaint.
        var matter = await (await app.Staff().GetAsync($"/api/matters/{id}?reveal=citizen")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("open311", matter.GetProperty("channel").GetString());
        Assert.Equal("complaint", matter.GetProperty("type").GetString());
        Assert.Equal("construction-noise", matter.GetProperty("category").GetString());
        Assert.Equal("张三", matter.GetProperty("citizen").GetProperty("name").GetString());
        Assert.Equal("13800001234", matter.GetProperty("citizen").GetProperty("phone").GetString());
        Assert.Equal("zhang@example.cn", matter.GetProperty("citizen").GetProperty("email").GetString());
        Assert.Equal("东湖区幸福路12号", matter.GetProperty("location").GetProperty("address").GetString());
        Assert.StartsWith("施工噪声：", matter.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("https://img.example.cn/photos/123.jpg", matter.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_xml_answer_to_a_post_has_the_spec_elements_and_multipart_forms_and_the_matter_type_attribute_are_accepted()
    {
        await using var app = new HotlineApp(azurite);
        using var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in Form())
        {
            if (name is "service_code" or "description") continue;
            multipart.Add(new StringContent(value), name);
        }
        multipart.Add(new StringContent("street-vending"), "service_code");
        multipart.Add(new StringContent("路口有人占道经营"), "description");
        multipart.Add(new StringContent("report"), "attribute[type]");
        using var response = await app.CreateClient().PostAsync($"{V2}/requests.xml", multipart);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var xml = await Xml(response);
        Assert.Equal("service_requests", xml.Name.LocalName);
        var request = Assert.Single(xml.Elements("request"));
        Assert.Equal(["service_request_id", "service_notice", "account_id"], request.Elements().Select(e => e.Name.LocalName));
        var id = request.Element("service_request_id")!.Value;
        var matter = await (await app.Staff().GetAsync($"/api/matters/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("report", matter.GetProperty("type").GetString());

        var form = Form();
        form["attribute[type]"] = "gossip";
        using var badType = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        await AssertErrorsAsync(badType, HttpStatusCode.BadRequest, "attribute[type]");
    }

    [Fact]
    public async Task A_missing_or_wrong_api_key_is_a_403_error_body_and_the_header_key_works_too()
    {
        await using var app = new HotlineApp(azurite);
        var form = Form();
        form.Remove("api_key");
        using var missing = await app.CreateClient().PostAsync($"{V2}/requests.xml", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        var error = Assert.Single((await Xml(missing)).Elements("error"));
        Assert.Equal("403", error.Element("code")!.Value);
        Assert.Contains("api_key", error.Element("description")!.Value, StringComparison.Ordinal);

        form["api_key"] = "guess";
        using var wrong = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        await AssertErrorsAsync(wrong, HttpStatusCode.Forbidden, "api_key");
        form["api_key"] = StaffKey;
        using var staff = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        await AssertErrorsAsync(staff, HttpStatusCode.Forbidden, "channel");

        form.Remove("api_key");
        using var header = await app.Channel().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        using var query = await app.CreateClient().PostAsync($"{V2}/requests.json?api_key={ChannelKey}", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, query.StatusCode); // the same submission by the same channel

        using var wrongRead = await app.CreateClient().GetAsync($"{V2}/requests.json?api_key=guess");
        await AssertErrorsAsync(wrongRead, HttpStatusCode.Forbidden, "api_key");
    }

    [Fact]
    public async Task Missing_required_fields_are_each_named_in_a_400_and_nothing_is_recorded()
    {
        await using var app = new HotlineApp(azurite);
        var form = Form();
        foreach (var field in new[] { "lat", "long", "address_string", "phone", "email", "description" }) form.Remove(field);
        form["media_url"] = "ftp://example.cn/x.jpg";
        using var response = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        Assert.Equal(4, await AssertErrorsAsync(response, HttpStatusCode.BadRequest, "location", "phone", "description", "media_url"));

        form = Form();
        form.Remove("long");
        using var halfCoordinates = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        await AssertErrorsAsync(halfCoordinates, HttpStatusCode.BadRequest, "lat and long");

        form = Form();
        form.Remove("service_code");
        using var noService = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        await AssertErrorsAsync(noService, HttpStatusCode.BadRequest, "service_code");
        form["service_code"] = "dragons";
        using var unknownService = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        await AssertErrorsAsync(unknownService, HttpStatusCode.NotFound, "dragons");

        using var json = await app.CreateClient().PostAsync($"{V2}/requests.json", JsonContent.Create(Form()));
        await AssertErrorsAsync(json, HttpStatusCode.BadRequest, "x-www-form-urlencoded");

        Assert.Equal(0, (await GetJsonAsync(app.CreateClient(), $"{V2}/requests.json")).GetArrayLength());
    }

    [Fact]
    public async Task A_request_reads_back_open_and_after_dispatch_names_the_agency_and_the_deadline_in_json_and_xml()
    {
        await using var app = new HotlineApp(azurite);
        var id = await PostAsync(app, Form());

        var open = Assert.Single((await GetJsonAsync(app.Channel(), $"{V2}/requests/{id}.json")).EnumerateArray());
        Assert.Equal(
            ["service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible", "service_notice",
             "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"],
            open.EnumerateObject().Select(p => p.Name));
        Assert.Equal("open", open.GetProperty("status").GetString());
        Assert.Equal("施工噪声", open.GetProperty("service_name").GetString());
        Assert.Equal("2026-03-02T09:00:00+08:00", open.GetProperty("requested_datetime").GetString());
        Assert.Equal(JsonValueKind.Null, open.GetProperty("agency_responsible").ValueKind);
        Assert.Equal(JsonValueKind.Null, open.GetProperty("expected_datetime").ValueKind);
        // The channel that submitted it sees what it sent, the photo apart from the words.
        Assert.Equal("工地夜间施工噪声扰民，每晚十一点后仍在打桩", open.GetProperty("description").GetString());
        Assert.Equal("https://img.example.cn/photos/123.jpg", open.GetProperty("media_url").GetString());
        Assert.Equal("东湖区幸福路12号", open.GetProperty("address").GetString());
        Assert.Equal(30.25, open.GetProperty("lat").GetDouble());
        Assert.Equal(120.16, open.GetProperty("long").GetDouble());

        var dispatched = await app.StaffPostAsync($"/api/matters/{id}/dispatch", new { organizer = "housing" });
        var dueBy = DateTimeOffset.Parse(dispatched.GetProperty("deadlines").GetProperty("dueBy").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        using var xmlResponse = await app.Channel().GetAsync($"{V2}/requests/{id}.xml");
        var xml = await Xml(xmlResponse);
        Assert.Equal("service_requests", xml.Name.LocalName);
        var request = Assert.Single(xml.Elements("request"));
        Assert.Equal(id, request.Element("service_request_id")!.Value);
        Assert.Equal("open", request.Element("status")!.Value);
        Assert.Equal("市住房和城乡建设局", request.Element("agency_responsible")!.Value);
        Assert.Equal(dueBy, DateTimeOffset.Parse(request.Element("expected_datetime")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Municipal Housing", request.Element("service_notice")!.Value, StringComparison.Ordinal);
        Assert.Equal("", request.Element("zipcode")!.Value);

        using var unknown = await app.Channel().GetAsync($"{V2}/requests/20260302AAAAAAAA.json");
        await AssertErrorsAsync(unknown, HttpStatusCode.NotFound, "20260302AAAAAAAA");
    }

    [Fact]
    public async Task Without_the_submitting_key_a_request_shows_no_words_no_place_and_no_photo()
    {
        await using var app = new HotlineApp(azurite);
        var id = await PostAsync(app, Form());
        var phoned = (await app.PostMatterAsync(MatterBody("p-1", category: "construction-noise"))).GetProperty("id").GetString()!;

        var anonymous = (await GetJsonAsync(app.CreateClient(), $"{V2}/requests/{id}.json"))[0];
        Assert.Equal("open", anonymous.GetProperty("status").GetString());
        Assert.Equal("construction-noise", anonymous.GetProperty("service_code").GetString());
        foreach (var field in new[] { "description", "address", "lat", "long", "media_url" })
            Assert.Equal(JsonValueKind.Null, anonymous.GetProperty(field).ValueKind);

        // A phone call's matter is listed too, but even a channel key never sees the caller's words or address.
        var call = (await GetJsonAsync(app.Channel(), $"{V2}/requests/{phoned}.json"))[0];
        Assert.Equal(JsonValueKind.Null, call.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, call.GetProperty("address").ValueKind);
        Assert.DoesNotContain("13800001234", call.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_filters_by_status_service_and_ids_pages_and_refuses_bad_ranges()
    {
        await using var app = new HotlineApp(azurite);
        var noise = await PostAsync(app, Form("噪声一"));
        var rejected = await PostAsync(app, Form("噪声二"));
        var light = await PostAsync(app, Form("路灯不亮", service: "road-lighting"));
        await app.StaffPostAsync($"/api/matters/{rejected}/rejection", new { reasonCode = "outside-area" });
        var client = app.Channel();

        static string[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()!)];

        var all = Ids(await GetJsonAsync(client, $"{V2}/requests.json"));
        Assert.Equal(new[] { noise, rejected, light }.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));

        var closed = await GetJsonAsync(client, $"{V2}/requests.json?status=closed");
        var closedOne = Assert.Single(closed.EnumerateArray());
        Assert.Equal(rejected, closedOne.GetProperty("service_request_id").GetString());
        Assert.Equal("closed", closedOne.GetProperty("status").GetString());
        Assert.Contains("请拨打事发地的12345热线", closedOne.GetProperty("status_notes").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await GetJsonAsync(client, $"{V2}/requests.json?status=open")).GetArrayLength());
        Assert.Equal(3, (await GetJsonAsync(client, $"{V2}/requests.json?status=open,closed")).GetArrayLength());

        Assert.Equal([light], Ids(await GetJsonAsync(client, $"{V2}/requests.json?service_code=road-lighting")));
        Assert.Equal(3, (await GetJsonAsync(client, $"{V2}/requests.json?service_code=road-lighting,construction-noise")).GetArrayLength());

        // Pages of two: every request exactly once, in the same order as the whole list.
        var first = Ids(await GetJsonAsync(client, $"{V2}/requests.json?page_size=2"));
        var second = Ids(await GetJsonAsync(client, $"{V2}/requests.json?page=2&page_size=2"));
        Assert.Equal(2, first.Length);
        Assert.Equal(all, first.Concat(second));
        Assert.Empty(Ids(await GetJsonAsync(client, $"{V2}/requests.json?page=3&page_size=2")));

        // service_request_id overrides every other argument.
        Assert.Equal([light, noise], Ids(await GetJsonAsync(client, $"{V2}/requests.json?service_request_id={light},{noise}&status=closed")));

        // Dates: the window includes its end; before it, nothing.
        Assert.Equal(3, (await GetJsonAsync(client, $"{V2}/requests.json?start_date=2026-03-02T00:00:00Z&end_date=2026-03-02T01:00:00Z")).GetArrayLength());
        Assert.Empty(Ids(await GetJsonAsync(client, $"{V2}/requests.json?end_date=2026-03-01T00:00:00%2B08:00")));

        using var tooLong = await client.GetAsync($"{V2}/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z");
        await AssertErrorsAsync(tooLong, HttpStatusCode.BadRequest, "90 days");
        using var noZone = await client.GetAsync($"{V2}/requests.json?start_date=2026-03-01T00:00:00");
        await AssertErrorsAsync(noZone, HttpStatusCode.BadRequest, "start_date");
        using var badStatus = await client.GetAsync($"{V2}/requests.json?status=pending&page_size=0");
        await AssertErrorsAsync(badStatus, HttpStatusCode.BadRequest, "pending", "page_size");

        using var xmlResponse = await client.GetAsync($"{V2}/requests.xml?status=closed");
        var xml = await Xml(xmlResponse);
        Assert.Equal("service_requests", xml.Name.LocalName);
        Assert.Equal(rejected, Assert.Single(xml.Elements("request")).Element("service_request_id")!.Value);
    }

    [Fact]
    public async Task A_batch_endpoint_answers_a_token_that_tokens_resolves_to_the_request()
    {
        await using var app = new HotlineApp(azurite, settings: new Dictionary<string, string?> { ["Hotline:Open311:Type"] = "batch" });
        var service = (await GetJsonAsync(app.CreateClient(), $"{V2}/services.json")).EnumerateArray().First();
        Assert.Equal("batch", service.GetProperty("type").GetString());

        using var created = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(Form()));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var answer = Assert.Single((await Json(created)).EnumerateArray());
        // The spec: a token and no service_request_id.
        Assert.Equal(["token", "service_notice", "account_id"], answer.EnumerateObject().Select(p => p.Name));
        var token = answer.GetProperty("token").GetString()!;
        Assert.Equal($"{V2}/tokens/{token}.json", created.Headers.Location!.ToString());

        using var again = await app.CreateClient().PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(Form()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(token, (await Json(again))[0].GetProperty("token").GetString());

        var resolved = Assert.Single((await GetJsonAsync(app.CreateClient(), $"{V2}/tokens/{token}.json")).EnumerateArray());
        Assert.Equal(token, resolved.GetProperty("token").GetString());
        var id = resolved.GetProperty("service_request_id").GetString()!;
        using var xmlResponse = await app.CreateClient().GetAsync($"{V2}/tokens/{token}.xml");
        var xml = Assert.Single((await Xml(xmlResponse)).Elements("request"));
        Assert.Equal([id, token], xml.Elements().Select(e => e.Value));
        Assert.Equal(["service_request_id", "token"], xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("open", (await GetJsonAsync(app.Channel(), $"{V2}/requests/{id}.json"))[0].GetProperty("status").GetString());

        using var unknown = await app.CreateClient().GetAsync($"{V2}/tokens/{new string('0', token.Length)}.json");
        await AssertErrorsAsync(unknown, HttpStatusCode.NotFound, "token");
    }

    [Fact]
    public async Task Jurisdiction_format_and_unknown_paths_are_answered_as_the_spec_says()
    {
        await using var app = new HotlineApp(azurite);
        var client = app.CreateClient();
        Assert.True((await GetJsonAsync(client, $"{V2}/services.json?jurisdiction_id=lanhai.gov.cn")).GetArrayLength() > 0);
        using var otherCity = await client.GetAsync($"{V2}/services.json?jurisdiction_id=sfgov.org");
        await AssertErrorsAsync(otherCity, HttpStatusCode.NotFound, "sfgov.org");
        var form = Form();
        form["jurisdiction_id"] = "sfgov.org";
        using var postElsewhere = await client.PostAsync($"{V2}/requests.json", new FormUrlEncodedContent(form));
        await AssertErrorsAsync(postElsewhere, HttpStatusCode.NotFound, "jurisdiction_id");

        using var html = await client.GetAsync($"{V2}/services.html");
        Assert.Equal(HttpStatusCode.BadRequest, html.StatusCode);
        Assert.Equal("errors", (await Xml(html)).Name.LocalName);

        // Without a suffix the Accept header chooses; XML is the default the spec requires.
        using var negotiated = new HttpRequestMessage(HttpMethod.Get, $"{V2}/services");
        negotiated.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var asJson = await client.SendAsync(negotiated);
        Assert.Equal(JsonValueKind.Array, (await Json(asJson)).ValueKind);
        using var plain = await client.GetAsync($"{V2}/services");
        Assert.Equal("services", (await Xml(plain)).Name.LocalName);

        using var nowhere = await client.GetAsync($"{V2}/complaints.json");
        await AssertErrorsAsync(nowhere, HttpStatusCode.NotFound, "discovery");
    }

    [Fact]
    public async Task Each_client_has_its_own_budget_and_going_over_it_is_a_429_in_the_spec_error_format()
    {
        await using var app = new HotlineApp(azurite, settings: new Dictionary<string, string?> { ["Hotline:RateLimit:PerMinute"] = "2" });
        var anonymous = app.CreateClient();
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"{V2}/services.xml")).StatusCode);
        using var over = await anonymous.GetAsync($"{V2}/services.json");
        Assert.Equal("60", over.Headers.RetryAfter!.ToString());
        await AssertErrorsAsync(over, HttpStatusCode.TooManyRequests, "Too many requests");
        // A keyed client is counted apart from the anonymous ones.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"{V2}/services.json?api_key={ChannelKey}")).StatusCode);
    }

    [Fact]
    public async Task The_open311_routes_are_described_in_the_openapi_document()
    {
        await using var app = new HotlineApp(azurite);
        var paths = (await GetOpenApiAsync(app)).GetProperty("paths");
        Assert.True(paths.GetProperty($"{V2}/requests.{{format}}").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty($"{V2}/requests.{{format}}").TryGetProperty("get", out _));
        foreach (var path in new[] { "discovery", "services", "services/{code}", "requests/{id}", "tokens/{token}" })
            Assert.True(paths.TryGetProperty($"{V2}/{path}.{{format}}", out _), path);
    }

    private static async Task<JsonElement> GetOpenApiAsync(HotlineApp app)
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
