using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime.Sms;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>
/// Organizers keep the knowledge base current (Weifang 9(2), 31(2); Fujian 11(3)): a unit proposes through its SMS
/// link, for its own articles only, and nothing is published before the platform's review.
/// </summary>
[Collection("Azurite")]
public sealed class KnowledgeProposalApiTests(AzuriteFixture azurite)
{
    private const string OwnArticle = "kb-water-planned-outage"; // kept by lanhai-water in the seed

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>A low-pressure matter goes to lanhai-water; its SMS carries the unit's link.</summary>
    private static async Task<(HttpClient Web, string Token)> WaterUnitLinkAsync(HotlineApp app, string channelRef)
    {
        var id = (await app.PostMatterAsync(MatterBody(channelRef, category: "water-pressure"))).GetProperty("id").GetString()!;
        var text = Assert.Single(await app.Get<SmsOutbox>().ListAsync(id)).Text;
        return (app.CreateClient(), text[(text.IndexOf("/o/", StringComparison.Ordinal) + 3)..]);
    }

    private static object NewArticle(string answer = "二次供水水箱每半年清洗消毒一次，清洗前三天在小区公告栏张贴通知，清洗当天停水约6小时。") => new
    {
        title = "二次供水水箱清洗安排",
        questions = new[] { "小区水箱多久清洗一次？" },
        keywords = new[] { "水箱清洗", "二次供水" },
        answer,
        category = "water-supply",
        note = "新制度自下月起施行。",
    };

    private static async Task<JsonElement> ProposeAsync(HttpClient web, string token, object body)
    {
        using var response = await web.PostAsJsonAsync($"/api/o/{token}/knowledge-proposals", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await Json(response);
    }

    private static async Task<string[]> PendingAsync(HotlineApp app) =>
        [.. (await app.Staff().GetFromJsonAsync<JsonElement>("/api/knowledge-proposals")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("proposal").GetProperty("id").GetString()!)];

    private static async Task<HttpResponseMessage> DecideAsync(HotlineApp app, string id, object body) =>
        await app.Staff().PostAsJsonAsync($"/api/knowledge-proposals/{id}/decision", body);

    private static async Task<int> QueueCountAsync(HotlineApp app) =>
        (await app.Staff().GetFromJsonAsync<JsonElement>("/api/workbench/queues")).GetProperty("queues").EnumerateArray()
            .Single(q => q.GetProperty("queue").GetString() == "knowledge").GetProperty("count").GetInt32();

    [Fact]
    public async Task Weifang_31_2_a_units_new_article_is_published_only_when_the_platform_approves_it()
    {
        await using var app = new HotlineApp(azurite);
        var (web, token) = await WaterUnitLinkAsync(app, "kp-new");
        var proposal = await ProposeAsync(web, token, NewArticle());
        var id = proposal.GetProperty("id").GetString()!;
        Assert.Equal("pending", proposal.GetProperty("status").GetString());
        Assert.Equal("lanhai-water", proposal.GetProperty("organizer").GetString());
        Assert.Equal("lanhai-water", proposal.GetProperty("draft").GetProperty("owner").GetString());

        // Under review: in the workbench queue, not in the knowledge base.
        Assert.Equal([id], await PendingAsync(app));
        Assert.Equal(1, await QueueCountAsync(app));
        var search = await app.Staff().GetFromJsonAsync<JsonElement>("/api/knowledge?q=" + Uri.EscapeDataString("水箱清洗"));
        Assert.DoesNotContain(search.GetProperty("items").EnumerateArray(), a => a.GetProperty("title").GetString() == "二次供水水箱清洗安排");

        using var approved = await DecideAsync(app, id, new { approve = true });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var decided = await Json(approved);
        Assert.Equal("approved", decided.GetProperty("status").GetString());
        Assert.Equal("staff:dev-staff", decided.GetProperty("decidedBy").GetString());
        var articleId = decided.GetProperty("publishedArticleId").GetString()!;
        var article = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/knowledge/{articleId}");
        Assert.Equal("lanhai-water", article.GetProperty("owner").GetString());
        Assert.Equal("organizer:lanhai-water", article.GetProperty("createdBy").GetString());
        Assert.Equal(1, article.GetProperty("version").GetInt32());
        search = await app.Staff().GetFromJsonAsync<JsonElement>("/api/knowledge?q=" + Uri.EscapeDataString("水箱清洗"));
        Assert.Equal(articleId, search.GetProperty("items")[0].GetProperty("id").GetString());

        Assert.Empty(await PendingAsync(app));
        Assert.Equal(0, await QueueCountAsync(app));
        using var again = await DecideAsync(app, id, new { approve = true });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("proposal.decided", (await Json(again)).GetProperty("code").GetString());

        // The unit sees the outcome and now keeps the new article.
        var own = await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}/knowledge-proposals");
        Assert.Equal("approved", own.GetProperty("proposals")[0].GetProperty("status").GetString());
        Assert.Contains(own.GetProperty("articles").EnumerateArray(), a => a.GetProperty("id").GetString() == articleId);
        Assert.All(own.GetProperty("articles").EnumerateArray(), a => Assert.Equal("lanhai-water", a.GetProperty("owner").GetString()));
    }

    [Fact]
    public async Task Fujian_11_3_an_update_whose_article_changed_meanwhile_is_refused_with_a_code_and_one_from_the_current_version_is_published()
    {
        await using var app = new HotlineApp(azurite);
        var (web, token) = await WaterUnitLinkAsync(app, "kp-update");
        var own = await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}/knowledge-proposals");
        var read = own.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("id").GetString() == OwnArticle);
        var version = read.GetProperty("version").GetInt32();
        object Update(int v, string answer) => new
        {
            articleId = OwnArticle,
            version = v,
            title = read.GetProperty("title").GetString(),
            questions = read.GetProperty("questions").EnumerateArray().Select(q => q.GetString()).ToArray(),
            keywords = read.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()).ToArray(),
            answer,
            category = "water-supply",
        };
        var stale = (await ProposeAsync(web, token, Update(version, "计划停水提前48小时公告。"))).GetProperty("id").GetString()!;

        // Staff edit the article meanwhile.
        using (var put = await app.Staff().PutAsJsonAsync($"/api/knowledge/{OwnArticle}", new
        {
            title = read.GetProperty("title").GetString(),
            questions = new[] { "哪里能看到停水通知？" },
            keywords = new[] { "停水通知" },
            answer = "计划停水在“澜海水务”公众号公告。",
            category = "water-supply",
            owner = "lanhai-water",
            version,
        }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var refused = await DecideAsync(app, stale, new { approve = true }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await Json(refused);
            Assert.Equal("proposal.article-changed", problem.GetProperty("code").GetString());
            Assert.Equal(version + 1, problem.GetProperty("currentVersion").GetInt32());
        }
        var article = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/knowledge/{OwnArticle}");
        Assert.Equal("计划停水在“澜海水务”公众号公告。", article.GetProperty("answer").GetString());
        Assert.Equal([stale], await PendingAsync(app));
        var view = (await app.Staff().GetFromJsonAsync<JsonElement>("/api/knowledge-proposals")).GetProperty("items")[0];
        Assert.Equal(version + 1, view.GetProperty("current").GetProperty("version").GetInt32());

        // A refusal needs its reason; with it the proposal leaves the queue and the unit reads why.
        using (var bare = await DecideAsync(app, stale, new { approve = false }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
            Assert.True((await Json(bare)).GetProperty("errors").TryGetProperty("reason", out _));
        }
        using (var no = await DecideAsync(app, stale, new { approve = false, reason = "条目已更新，请在最新版本上修改。" }))
        {
            Assert.Equal(HttpStatusCode.OK, no.StatusCode);
            Assert.Equal("refused", (await Json(no)).GetProperty("status").GetString());
        }
        var mine = (await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}/knowledge-proposals")).GetProperty("proposals")[0];
        Assert.Equal("条目已更新，请在最新版本上修改。", mine.GetProperty("reason").GetString());

        var current = (await ProposeAsync(web, token, Update(version + 1, "计划停水提前48小时在公众号和小区公告。"))).GetProperty("id").GetString()!;
        using (var yes = await DecideAsync(app, current, new { approve = true, reason = "核对无误" }))
        {
            Assert.Equal(HttpStatusCode.OK, yes.StatusCode);
            Assert.Equal(version + 2, (await Json(yes)).GetProperty("publishedVersion").GetInt32());
        }
        article = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/knowledge/{OwnArticle}");
        Assert.Equal("计划停水提前48小时在公众号和小区公告。", article.GetProperty("answer").GetString());
        Assert.Equal("organizer:lanhai-water", article.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task Weifang_9_2_a_unit_proposes_for_its_own_articles_only_and_a_bad_proposal_writes_nothing()
    {
        await using var app = new HotlineApp(azurite);
        var (web, token) = await WaterUnitLinkAsync(app, "kp-bad");
        var hrss = await app.Staff().GetFromJsonAsync<JsonElement>("/api/knowledge/kb-sscard-reissue");
        Assert.NotEqual("lanhai-water", hrss.GetProperty("owner").GetString());

        async Task<(HttpStatusCode Status, JsonElement Problem)> Post(object body)
        {
            using var response = await web.PostAsJsonAsync($"/api/o/{token}/knowledge-proposals", body);
            return (response.StatusCode, await Json(response));
        }

        var other = await Post(new { articleId = "kb-sscard-reissue", version = hrss.GetProperty("version").GetInt32(), title = "社保卡补办", questions = new[] { "社保卡丢了" }, keywords = new[] { "社保卡" }, answer = "到银行网点补办。", category = "social-security" });
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        var untitled = await Post(new { answer = "只有答复。", category = "water-supply" });
        Assert.Equal(HttpStatusCode.BadRequest, untitled.Status);
        Assert.True(untitled.Problem.GetProperty("errors").TryGetProperty("title", out _));
        var versionAlone = await Post(new { version = 2, title = "水表", questions = new[] { "水表" }, keywords = new[] { "水表" }, answer = "水表由水务集团更换。", category = "water-supply" });
        Assert.True(versionAlone.Problem.GetProperty("errors").TryGetProperty("version", out _));
        var stale = await Post(new { articleId = OwnArticle, version = 99, title = "计划停水通知查询", questions = new[] { "停水通知" }, keywords = new[] { "停水" }, answer = "见公众号。", category = "water-supply" });
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal("knowledge.stale-version", stale.Problem.GetProperty("code").GetString());
        using (var badLink = await web.PostAsJsonAsync("/api/o/AAAAAAAAAAAAAAAAAAAAAA/knowledge-proposals", NewArticle()))
        {
            Assert.Equal(HttpStatusCode.NotFound, badLink.StatusCode);
        }

        Assert.Empty(await PendingAsync(app));
        Assert.Empty((await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}/knowledge-proposals")).GetProperty("proposals").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Channel().GetAsync("/api/knowledge-proposals")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DecideAsync(app, "kp-000000000000", new { approve = true })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Staff().GetAsync("/api/workbench/queues/knowledge")).StatusCode);
    }
}
