using System.Text.Json;
using Hotline.Testing;

namespace Hotline.Dashboard.Tests;

/// <summary>One seeded matter and what the seed did with it.</summary>
/// <param name="InPeriod">Received within the dashboard's default period (the 30 days to 23 March), not in the one before.</param>
public sealed record Seeded(string Key, string Id, string Category, string District, string Organizer, bool InPeriod = true);

/// <summary>
/// A sample month on the real host, built only through the HTTP API as channels, organizers and staff would:
/// four Mondays of matters (2 to 23 March 2026) in several categories and all four districts, dispatched at intake by
/// certain routes; most signed from their SMS links, some never signed (so the sign-off alarm puts them under
/// supervision), some completed, accepted and evaluated (one unsatisfied, so handled again), some left to run past
/// their deadline, and one put under supervision by staff; and two matters on 10 February, in the previous period, for
/// the comparison. The clock ends on Monday 23 March, 13:00 CST.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private DashboardSite? _site;
    private int _phone = 1000;

    public DashboardSite Site => _site ?? throw new InvalidOperationException("not started");

    /// <summary>The storage emulator, for a test that needs a site of its own (another date).</summary>
    public AzuriteFixture Azurite => _azurite;

    public List<Seeded> Matters { get; } = [];

    /// <summary>The matters received in the dashboard's default period.</summary>
    public IEnumerable<Seeded> InPeriod => Matters.Where(m => m.InPeriod);

    /// <summary>The matters received in the period before it.</summary>
    public IEnumerable<Seeded> Previous => Matters.Where(m => !m.InPeriod);

    public Seeded this[string key] => Matters.Single(m => m.Key == key);

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _site = new DashboardSite(_azurite, DashboardSite.T("2026-02-10 09:00")).Start();
        await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        if (_site is not null) await _site.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private const string Xingfu = "东湖区幸福路12号幸福小区3号楼";

    private async Task SeedAsync()
    {
        // The previous period: Tuesday 10 February.
        await Post("e1", "water-pressure", "donghu", "东湖区湖滨路2号", "湖滨路水压不足", "lanhai-water", inPeriod: false);
        await Post("e2", "taxi", "xiling", "西岭区汽车站", "出租车不打表", "transport", inPeriod: false);
        await Sign("e1");
        await Site.StaffPostAsync("/api/dev/clock", new { now = "2026-03-02T09:00:00+08:00" }, HttpMethod.Put);

        // Week 1: Monday 2 March.
        await Post("w1", "water-pressure", "donghu", Xingfu, "幸福小区水压不足", "lanhai-water");
        await Post("w2", "water-supply", "xiling", "西岭区和平路8号", "和平路片区停水未通知", "lanhai-water");
        await Post("w3", "water-pressure", "donghu", Xingfu, "幸福小区高层仍无水", "lanhai-water");
        await Post("w4", "water-quality", "nangang", "南港区港湾路66号", "自来水发黄", "lanhai-water");
        await Post("w5", "water-pressure", "xiling", "西岭区青山路3号", "青山路水压偏低", "lanhai-water");
        await Post("w6", "water-supply", "donghu", "东湖区湖滨路20号", "湖滨路反复停水", "lanhai-water");
        await Post("p1", "power-outage", "nangang", "南港区渔港街5号", "渔港街频繁停电", "lanhai-power");
        await Post("p2", "power-outage", "beitang", "北塘县北塘镇中心街1号", "中心街夜间停电", "lanhai-power");
        await Post("s1", "street-vending", "donghu", "东湖区东湖路菜场门口", "菜场门口占道经营", "donghu-gov");
        await Site.AdvanceAsync("PT1H");
        foreach (var key in new[] { "w1", "w2", "w3", "w4", "w5", "w6", "p1", "s1" }) await Sign(key);
        await Site.AdvanceAsync("PT1H");
        await Complete("w1", "satisfied");
        await Complete("w2", "satisfied");
        await Complete("w3", "basicallySatisfied");
        await Complete("w4", "satisfied");
        await Complete("w5", "satisfied");
        await Complete("w6", "unsatisfied");

        // Week 2: Monday 9 March (p2 was never signed: sign-off overdue).
        await Site.AdvanceAsync("P7D");
        await Post("w7", "water-quality", "xiling", "西岭区和平路10号", "和平路自来水有异味", "lanhai-water");
        await Post("w8", "water-pressure", "xiling", "西岭区和平路12号", "和平路水压不足", "lanhai-water");
        await Post("h1", "elevator", "beitang", "北塘县北塘镇新村8幢", "新村8幢电梯停运", "housing");
        await Site.AdvanceAsync("PT1H");
        await Sign("w7");
        await Sign("h1");

        // Week 3: Monday 16 March (p1, s1 and w6 ran past their deadlines).
        await Site.AdvanceAsync("P7D");
        await Post("t1", "taxi", "donghu", "东湖区火车站出租车候客区", "出租车拒载", "transport");
        await Post("w9", "water-pressure", "donghu", Xingfu, "幸福小区水压又不足", "lanhai-water");
        await Site.AdvanceAsync("PT1H");
        await Sign("w9");
        await Complete("w9", "satisfied");

        // Week 4: Monday 23 March (w7 and h1 ran past their deadlines).
        await Site.AdvanceAsync("P7D");
        await Post("f1", "food-safety", "xiling", "西岭区美食街18号", "美食街餐馆卫生差", "market-regulation");
        await Post("w10", "water-pressure", "donghu", Xingfu, "幸福小区水压问题反复", "lanhai-water");
        await Sign("f1");
        await Sign("w10");
        await Site.StaffPostAsync($"/api/matters/{this["f1"].Id}/supervision", new { note = "媒体关注，平台督办" });
    }

    private async Task Post(string key, string category, string district, string address, string title, string organizer, bool inPeriod = true)
    {
        var id = await Site.PostMatterAsync("dash-" + key, "suggestion", category, district, address, title, "1390000" + _phone++);
        var matter = await Site.StaffGetAsync($"/api/matters/{id}");
        Assert.Equal(organizer, matter.GetProperty("organizer").GetString()); // dispatched at intake by a certain route
        Matters.Add(new Seeded(key, id, category, district, organizer, inPeriod));
    }

    private async Task Sign(string key) =>
        await Site.OrganizerPostAsync(await Site.LinkFromSmsAsync(this[key].Id), "sign", new { });

    /// <summary>The organizer replies (a suggestion needs no photo), staff accept the reply, the citizen evaluates.</summary>
    private async Task Complete(string key, string result)
    {
        var id = this[key].Id;
        await Site.OrganizerPostAsync(await Site.LinkFromSmsAsync(id), "reply", new { text = "已处理完毕，情况已向诉求人说明。", evidence = Array.Empty<string>() });
        await Site.StaffPostAsync($"/api/matters/{id}/reply-review", new { accept = true });
        await Site.PostAsync(DashboardSite.ChannelKey, $"/api/matters/{id}/evaluation", new { result });
        if (result == "unsatisfied")
        {
            // Fujian 22: handled again once staff verify that the organizer is responsible.
            await Site.StaffPostAsync($"/api/matters/{id}/evaluation-verification", new { organizerResponsible = true, note = "核实属承办单位责任" });
        }
    }

    /// <summary>The seeded matters that the matter store itself says are under supervision now.</summary>
    public async Task<HashSet<string>> SupervisedNowAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in Matters)
        {
            var view = await Site.StaffGetAsync($"/api/matters/{m.Id}");
            if (view.GetProperty("supervised").GetBoolean()) ids.Add(m.Id);
        }
        return ids;
    }

    public static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString();
}

[CollectionDefinition("Dashboard")]
public sealed class DashboardGroup : ICollectionFixture<DashboardFixture>;
