using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Testing;

namespace Hotline.Dashboard.Tests;

/// <summary>
/// A morning's work for the platform, built only through the HTTP API: on Monday 2 March 2026 two construction-noise
/// matters at the same address (a route that is not certain, so they wait for a dispatcher, the second a possible
/// duplicate of the first), and matters dispatched at intake whose organizers, from their SMS links, apply to return
/// one, ask for more time on two, reply to one and apply to terminate one. The clock then runs an hour on.
/// Also: two more reports from one site (m1, m2: a duplicate to merge), one the hotline does not take (j1), a
/// consultation the knowledge base answers (c1, with its article), a reply with a photo (p1), and a matter whose
/// citizen was unsatisfied (v1), waiting for verification; the water company proposes, from x1's link, a new
/// knowledge article (kp-new) and an update of its own article that staff then change meanwhile (kp-stale).
/// </summary>
public sealed class WorkbenchFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private DashboardSite? _site;
    private int _phone = 2000;

    public DashboardSite Site => _site ?? throw new InvalidOperationException("not started");

    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public string this[string key] => Ids[key];

    /// <summary>The knowledge article that answers the consultation c1.</summary>
    public string ArticleId { get; private set; } = "";

    public const string ArticleAnswer = "夜间（22时至次日6时）禁止产生噪声的建筑施工作业，抢修、抢险作业和因生产工艺要求必须连续作业的除外，须持有关部门证明并公告附近居民。";

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _site = new DashboardSite(_azurite, DashboardSite.T("2026-03-02 08:30")).Start();
        await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        if (_site is not null) await _site.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private async Task SeedAsync()
    {
        await Post("n1", "construction-noise", "东湖区建设路1号工地", "建设路工地夜间施工噪声");
        await Site.AdvanceAsync("PT10M");
        await Post("n2", "construction-noise", "东湖区建设路1号工地", "建设路工地凌晨仍在施工");
        await Post("n3", "construction-noise", "东湖区光明路9号", "光明路工地噪声扰民");
        await Post("r1", "water-pressure", "东湖区湖滨路2号", "湖滨路水压不足");
        await Post("x1", "water-supply", "东湖区湖滨路20号", "湖滨路反复停水");
        await Post("x2", "water-supply", "东湖区湖滨路22号", "湖滨路22号停水");
        await Post("y1", "water-quality", "东湖区港湾路6号", "自来水有异味");
        await Post("k1", "water-pressure", "东湖区青山路3号", "青山路水压偏低");
        await Post("m1", "construction-noise", "东湖区河西路5号工地", "河西路工地夜里打桩");
        await Post("m2", "construction-noise", "东湖区河西路5号工地", "河西路工地打桩声音很大");
        await Post("j1", "construction-noise", "东湖区天河路8号", "邻居家装修有人受伤需要急救");
        var article = await Site.StaffPostAsync("/api/knowledge", new
        {
            title = "夜间施工的时间限制",
            questions = new[] { "夜间施工许可时间是几点到几点？", "晚上几点以后不能施工？" },
            keywords = new[] { "夜间施工", "施工时间", "噪声" },
            answer = ArticleAnswer,
            category = "construction-noise",
        });
        ArticleId = article.GetProperty("id").GetString()!;
        Ids["c1"] = await Site.PostMatterAsync("wb-c1", "consultation", "construction-noise", "donghu", "东湖区文化路3号", "夜间施工许可时间是几点到几点", "1370000" + _phone++);
        await Post("p1", "water-quality", "东湖区港湾路8号", "自来水发黄");
        await Post("v1", "water-quality", "东湖区港湾路10号", "自来水浑浊");
        await Site.AdvanceAsync("PT20M");
        foreach (var key in new[] { "x1", "x2", "y1", "k1", "p1", "v1" }) await Organizer(key, "sign", new { });
        await Organizer("r1", "return", new { reason = "该小区供水设施属物业自管，不属本单位职责。" });
        await Organizer("x1", "extension", new { workingDays = 3, reason = "需协调施工单位更换主管道。" });
        await Organizer("x2", "extension", new { workingDays = 2, reason = "等待检测结果。" });
        await Organizer("y1", "reply", new { text = "已冲洗管网，水质检测合格，已电话告知诉求人。", evidence = Array.Empty<string>() });
        await Organizer("k1", "termination", new { reason = "诉求人拒绝配合入户核查。" });
        await ReplyWithPhotoAsync("p1", "已更换老化水管，水色恢复正常。");
        await Organizer("v1", "reply", new { text = "已冲洗管网。", evidence = Array.Empty<string>() });
        await Site.StaffPostAsync($"/api/matters/{this["v1"]}/reply-review", new { accept = true });
        await Site.StaffPostAsync($"/api/matters/{this["v1"]}/evaluation", new { result = "unsatisfied", comment = "水还是浑浊，没有人上门。" });
        await ProposeKnowledgeAsync();
        await Site.AdvanceAsync("PT1H");
    }

    private async Task Post(string key, string category, string address, string title) =>
        Ids[key] = await Site.PostMatterAsync("wb-" + key, "suggestion", category, "donghu", address, title, "1370000" + _phone++);

    public const string OwnArticle = "kb-water-planned-outage";

    private async Task ProposeKnowledgeAsync()
    {
        var link = await Site.LinkFromSmsAsync(this["x1"]);
        await Site.OrganizerPostAsync(link, "knowledge-proposals", new
        {
            title = "二次供水水箱清洗安排",
            questions = new[] { "小区水箱多久清洗一次？" },
            keywords = new[] { "水箱清洗", "二次供水" },
            answer = "二次供水水箱每半年清洗消毒一次，清洗前三天张贴通知。",
            category = "water-supply",
            note = "新制度自下月起施行。",
        });
        var article = await Site.StaffGetAsync($"/api/knowledge/{OwnArticle}");
        var version = article.GetProperty("version").GetInt32();
        await Site.OrganizerPostAsync(link, "knowledge-proposals", new
        {
            articleId = OwnArticle,
            version,
            title = "计划停水通知查询",
            questions = new[] { "哪里能看到停水通知？" },
            keywords = new[] { "停水通知" },
            answer = "计划停水提前48小时公告。",
            category = "water-supply",
        });
        // Staff change the article meanwhile: the update was written from an older version.
        await Site.StaffPostAsync($"/api/knowledge/{OwnArticle}", new
        {
            title = "计划停水通知查询",
            questions = new[] { "哪里能看到停水通知？" },
            keywords = new[] { "停水通知" },
            answer = "计划停水在“澜海水务”公众号公告。",
            category = "water-supply",
            owner = "lanhai-water",
            version,
        }, HttpMethod.Put);
        var pending = (await Site.StaffGetAsync("/api/knowledge-proposals")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("proposal")).ToArray();
        Ids["kp-new"] = pending.Single(p => !p.TryGetProperty("articleId", out _)).GetProperty("id").GetString()!;
        Ids["kp-stale"] = pending.Single(p => p.TryGetProperty("articleId", out _)).GetProperty("id").GetString()!;
    }

    /// <summary>The organizer uploads a real PNG through its link's short-lived upload grant and replies with it.</summary>
    private async Task ReplyWithPhotoAsync(string key, string text)
    {
        var link = await Site.LinkFromSmsAsync(this[key]);
        var token = link.AbsolutePath[(link.AbsolutePath.LastIndexOf('/') + 1)..];
        var photo = Hotline.Browser.Tests.TestImages.Png();
        using var web = Site.Client();
        using var granted = await web.PostAsJsonAsync($"/api/o/{token}/evidence", new { fileName = "pipe.png", contentType = "image/png", bytes = photo.Length });
        var grant = await granted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(granted.IsSuccessStatusCode, grant.ToString());
        using var put = new HttpRequestMessage(HttpMethod.Put, grant.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(photo) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        put.Content.Headers.ContentType = new("image/png");
        using var storage = new HttpClient();
        (await storage.SendAsync(put)).EnsureSuccessStatusCode();
        await Organizer(key, "reply", new { text, evidence = new[] { grant.GetProperty("blob").GetString() } });
    }

    private async Task Organizer(string key, string action, object body) =>
        await Site.OrganizerPostAsync(await Site.LinkFromSmsAsync(this[key]), action, body);
}

[CollectionDefinition("Workbench")]
public sealed class WorkbenchGroup : ICollectionFixture<WorkbenchFixture>;
