using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

[Collection("Azurite")]
public sealed class KnowledgeApiTests(AzuriteFixture azurite)
{
    private static Dictionary<string, object?> ArticleBody(string title = "犬只走失登记和寻犬", string answer = "犬只走失后请在“澜海养犬”小程序登记走失信息，找回后注销。") => new()
    {
        ["title"] = title,
        ["questions"] = new[] { "狗丢了怎么办？" },
        ["keywords"] = new[] { "犬只走失", "寻犬" },
        ["answer"] = answer,
        ["answerEn"] = "Report a lost dog in the Lanhai Dogs mini-program.",
        ["category"] = "pets",
        ["owner"] = "urban-management",
    };

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<JsonElement> SearchAsync(HotlineApp app, string query)
    {
        using var response = await app.Staff().GetAsync("/api/knowledge?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await Json(response);
    }

    private static string[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToArray();

    private static async Task<JsonElement> CreateAsync(HotlineApp app, Dictionary<string, object?> body)
    {
        using var response = await app.Staff().PostAsJsonAsync("/api/knowledge", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await Json(response);
    }

    private static HttpRequestMessage Put(string id, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/knowledge/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static async Task<int> TotalAsync(HotlineApp app) => (await SearchAsync(app, "includeRetired=true")).GetProperty("total").GetInt32();

    [Fact]
    public async Task The_seed_is_loaded_at_start_and_Chinese_questions_find_their_answers_with_a_score_and_snippet()
    {
        await using var app = new HotlineApp(azurite);
        var hits = await SearchAsync(app, "q=" + Uri.EscapeDataString("社保卡怎么补办"));
        var first = hits.GetProperty("items")[0];
        Assert.Equal("kb-sscard-reissue", first.GetProperty("id").GetString());
        Assert.True(first.GetProperty("score").GetDouble() > 0);
        Assert.Contains("补", first.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal("kb-water-planned-outage", Ids(await SearchAsync(app, "q=" + Uri.EscapeDataString("停水")))[0]);
        Assert.Equal("kb-hpf-withdraw", Ids(await SearchAsync(app, "q=" + Uri.EscapeDataString("公积金提取")))[0]);
        Assert.Equal("kb-hpf-withdraw", Ids(await SearchAsync(app, "q=" + Uri.EscapeDataString("ＡＰＰ提取公积金")))[0]);

        var listed = await SearchAsync(app, "pageSize=5");
        Assert.Equal(5, listed.GetProperty("items").GetArrayLength());
        Assert.True(listed.GetProperty("total").GetInt32() >= 30);
        var water = await SearchAsync(app, "category=water-supply");
        Assert.All(water.GetProperty("items").EnumerateArray(), i => Assert.Equal("water-supply", i.GetProperty("category").GetString()));
        Assert.Contains("kb-water-bill", Ids(water));
    }

    [Fact]
    public async Task A_created_article_is_found_and_an_update_must_name_the_current_version()
    {
        await using var app = new HotlineApp(azurite);
        using var created = await app.Staff().PostAsJsonAsync("/api/knowledge", ArticleBody());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var article = await Json(created);
        var id = article.GetProperty("id").GetString()!;
        Assert.Equal($"/api/knowledge/{id}", created.Headers.Location!.ToString());
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        Assert.Equal("staff:dev-staff", article.GetProperty("updatedBy").GetString());
        Assert.Equal(id, Ids(await SearchAsync(app, "q=" + Uri.EscapeDataString("狗丢了")))[0]);

        using var read = await app.Staff().GetAsync($"/api/knowledge/{id}");
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);

        using var updated = await app.Staff().SendAsync(Put(id, ArticleBody(title: "犬只走失怎么登记"), "\"1\""));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"2\"", updated.Headers.ETag!.Tag);
        Assert.Equal(2, (await Json(updated)).GetProperty("version").GetInt32());

        using var staleHeader = await app.Staff().SendAsync(Put(id, ArticleBody(title: "旧版本的修改"), "\"1\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleHeader.StatusCode);
        var problem = await Json(staleHeader);
        Assert.Equal("/problems/knowledge.stale-version", problem.GetProperty("type").GetString());
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty("If-Match", out _));

        var staleBody = ArticleBody(title: "旧版本的修改");
        staleBody["version"] = 1;
        using var staleInBody = await app.Staff().SendAsync(Put(id, staleBody, null));
        Assert.Equal(HttpStatusCode.Conflict, staleInBody.StatusCode);
        Assert.True((await Json(staleInBody)).GetProperty("errors").TryGetProperty("version", out _));

        using var unversioned = await app.Staff().SendAsync(Put(id, ArticleBody(title: "没有版本的修改"), null));
        Assert.Equal(HttpStatusCode.BadRequest, unversioned.StatusCode);
        Assert.True((await Json(unversioned)).GetProperty("errors").TryGetProperty("version", out _));
        using var weak = await app.Staff().SendAsync(Put(id, ArticleBody(title: "弱标签的修改"), "W/\"2\""));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);

        var stored = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/knowledge/{id}");
        Assert.Equal("犬只走失怎么登记", stored.GetProperty("title").GetString());
        Assert.Equal(2, stored.GetProperty("version").GetInt32());
        using var missing = await app.Staff().SendAsync(Put("kb-nothing-here", ArticleBody(), "\"1\""));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_retired_article_leaves_search_but_GET_still_shows_it_retired()
    {
        await using var app = new HotlineApp(azurite);
        var id = (await CreateAsync(app, ArticleBody())).GetProperty("id").GetString()!;
        using var retired = await app.Staff().DeleteAsync($"/api/knowledge/{id}");
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.Equal("staff:dev-staff", (await Json(retired)).GetProperty("retiredBy").GetString());

        Assert.DoesNotContain(id, Ids(await SearchAsync(app, "q=" + Uri.EscapeDataString("狗丢了"))));
        Assert.DoesNotContain(id, Ids(await SearchAsync(app, "category=pets")));
        Assert.Contains(id, Ids(await SearchAsync(app, "category=pets&includeRetired=true")));
        var stored = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/knowledge/{id}");
        Assert.True(stored.GetProperty("retired").GetBoolean());
        Assert.Equal(2, stored.GetProperty("version").GetInt32());

        using var edit = await app.Staff().SendAsync(Put(id, ArticleBody(), "\"2\""));
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Equal("/problems/knowledge.retired", (await Json(edit)).GetProperty("type").GetString());
        using var again = await app.Staff().DeleteAsync($"/api/knowledge/{id}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var missing = await app.Staff().DeleteAsync("/api/knowledge/kb-nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    public static TheoryData<string, string> BadArticles => new()
    {
        { """{"questions":["狗丢了"],"answer":"登记。","category":"pets"}""", "title" },
        { """{"title":"寻犬","answer":"登记。","category":"Pets & Animals"}""", "category" },
        { """{"title":"寻犬","answer":"登记。","category":"pets","owner":"dog-bureau"}""", "owner" },
        { """{"title":"寻犬","questions":["狗丢了",""],"answer":"登记。","category":"pets"}""", "questions[1]" },
        { """{"title":"寻犬","answer":"","category":"pets"}""", "answer" },
        { """{"title":42,"answer":"登记。","category":"pets"}""", "title" },
        { """{"title":"寻犬","questions":"狗丢了","answer":"登记。","category":"pets"}""", "questions" },
    };

    [Theory]
    [MemberData(nameof(BadArticles))]
    public async Task A_bad_article_gets_a_400_problem_naming_the_field_and_writes_nothing(string json, string field)
    {
        await using var app = new HotlineApp(azurite);
        var before = await TotalAsync(app);
        using var response = await app.Staff().PostAsync("/api/knowledge", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await TotalAsync(app));
    }

    [Theory]
    [InlineData("q=%EF%BC%9F%EF%BC%9F%EF%BC%81", "q")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("skip=-1", "skip")]
    [InlineData("category=Water%20Supply", "category")]
    [InlineData("includeRetired=maybe", "includeRetired")]
    [InlineData("q=%E5%81%9C%E6%B0%B4&includeRetired=true", "includeRetired")]
    public async Task Bad_search_parameters_are_named(string query, string field)
    {
        await using var app = new HotlineApp(azurite);
        using var response = await app.Staff().GetAsync("/api/knowledge?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty(field, out _));
        using var tooLong = await app.Staff().GetAsync("/api/knowledge?q=" + Uri.EscapeDataString(new string('水', 201)));
        Assert.True((await Json(tooLong)).GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task Channel_keys_and_requests_without_a_key_are_refused()
    {
        await using var app = new HotlineApp(azurite);
        var matter = await app.PostMatterAsync(MatterBody("kb-key-1"));
        var matterId = matter.GetProperty("id").GetString();
        var before = await TotalAsync(app);
        using var search = await app.Channel().GetAsync("/api/knowledge?q=" + Uri.EscapeDataString("停水"));
        Assert.Equal(HttpStatusCode.Forbidden, search.StatusCode);
        using var read = await app.Channel().GetAsync("/api/knowledge/kb-water-bill");
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        using var create = await app.Channel().PostAsJsonAsync("/api/knowledge", ArticleBody());
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        using var retire = await app.Channel().DeleteAsync("/api/knowledge/kb-water-bill");
        Assert.Equal(HttpStatusCode.Forbidden, retire.StatusCode);
        using var suggest = await app.Channel().GetAsync($"/api/matters/{matterId}/knowledge");
        Assert.Equal(HttpStatusCode.Forbidden, suggest.StatusCode);
        using var anonymous = await app.WithKey(null).PostAsJsonAsync("/api/knowledge", ArticleBody());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(before, await TotalAsync(app));
        Assert.False((await app.Staff().GetFromJsonAsync<JsonElement>("/api/knowledge/kb-water-bill")).GetProperty("retired").GetBoolean());
    }

    [Fact]
    public async Task A_consultation_gets_suggestions_and_is_answered_on_the_spot_only_from_an_article_that_exists()
    {
        await using var app = new HotlineApp(azurite);
        var body = MatterBody("kb-consult-1", type: "consultation");
        body["title"] = "社保卡丢了";
        body["description"] = "上周在公交车上把社保卡弄丢了，想问去哪里补办，需要带什么材料";
        var matter = await app.PostMatterAsync(body);
        var id = matter.GetProperty("id").GetString()!;
        Assert.Equal("awaitingDispatch", matter.GetProperty("status").GetString());

        var suggestions = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}/knowledge");
        Assert.True(suggestions.GetProperty("answerable").GetBoolean());
        var best = suggestions.GetProperty("suggestions")[0];
        Assert.Equal("kb-sscard-reissue", best.GetProperty("id").GetString());

        using var unknown = await app.Staff().PostAsJsonAsync($"/api/matters/{id}/answer", new { answer = "请到社保卡服务网点补领。", articleId = "kb-no-such-article" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True((await Json(unknown)).GetProperty("errors").TryGetProperty("articleId", out _));

        var retiredId = (await CreateAsync(app, ArticleBody())).GetProperty("id").GetString()!;
        (await app.Staff().DeleteAsync($"/api/knowledge/{retiredId}")).Dispose();
        using var retired = await app.Staff().PostAsJsonAsync($"/api/matters/{id}/answer", new { answer = "请到社保卡服务网点补领。", articleId = retiredId });
        Assert.Equal(HttpStatusCode.Conflict, retired.StatusCode);
        Assert.True((await Json(retired)).GetProperty("errors").TryGetProperty("articleId", out _));
        Assert.Equal("awaitingDispatch", (await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}")).GetProperty("status").GetString());

        var answered = await app.StaffPostAsync($"/api/matters/{id}/answer", new { answer = "请携带身份证到社保卡服务网点补领。", articleId = "kb-sscard-reissue" });
        Assert.Equal("answered", answered.GetProperty("status").GetString());
        Assert.Equal("kb-sscard-reissue", answered.GetProperty("answer").GetProperty("articleId").GetString());
        Assert.False((await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}/knowledge")).GetProperty("answerable").GetBoolean());

        using var noMatter = await app.Staff().GetAsync("/api/matters/20260302AAAAAAAA/knowledge");
        Assert.Equal(HttpStatusCode.NotFound, noMatter.StatusCode);
    }

    [Fact]
    public async Task An_answer_without_an_article_is_still_allowed()
    {
        await using var app = new HotlineApp(azurite);
        var matter = await app.PostMatterAsync(MatterBody("kb-consult-2", type: "consultation"));
        var answered = await app.StaffPostAsync($"/api/matters/{matter.GetProperty("id").GetString()}/answer", new { answer = "请联系物业。" });
        Assert.Equal("answered", answered.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_knowledge_route()
    {
        await using var app = new HotlineApp(azurite);
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var (path, verb) in new[] { ("/api/knowledge", "get"), ("/api/knowledge", "post"), ("/api/knowledge/{id}", "get"), ("/api/knowledge/{id}", "put"),
                     ("/api/knowledge/{id}", "delete"), ("/api/matters/{id}/knowledge", "get") })
        {
            Assert.True(paths.TryGetProperty(path, out var item), path);
            Assert.True(item.TryGetProperty(verb, out var operation), $"{verb} {path}");
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{verb} {path}");
        }
        var search = paths.GetProperty("/api/knowledge").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("q", search);
        Assert.Contains("category", search);
        Assert.True(doc.GetProperty("components").GetProperty("schemas").TryGetProperty("KnowledgeArticleBody", out _));
    }
}
