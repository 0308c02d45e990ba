using Hotline.Testing;

namespace Hotline.Dashboard.Tests;

/// <summary>
/// A morning's work for the platform, built only through the HTTP API: on Monday 2 March 2026 two construction-noise
/// matters at the same address (a route that is not certain, so they wait for a dispatcher, the second a possible
/// duplicate of the first), and matters dispatched at intake whose organizers, from their SMS links, apply to return
/// one, ask for more time on two, reply to one and apply to terminate one. The clock then runs an hour on.
/// </summary>
public sealed class WorkbenchFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private DashboardSite? _site;
    private int _phone = 2000;

    public DashboardSite Site => _site ?? throw new InvalidOperationException("not started");

    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public string this[string key] => Ids[key];

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
        await Site.AdvanceAsync("PT20M");
        foreach (var key in new[] { "x1", "x2", "y1", "k1" }) await Organizer(key, "sign", new { });
        await Organizer("r1", "return", new { reason = "该小区供水设施属物业自管，不属本单位职责。" });
        await Organizer("x1", "extension", new { workingDays = 3, reason = "需协调施工单位更换主管道。" });
        await Organizer("x2", "extension", new { workingDays = 2, reason = "等待检测结果。" });
        await Organizer("y1", "reply", new { text = "已冲洗管网，水质检测合格，已电话告知诉求人。", evidence = Array.Empty<string>() });
        await Organizer("k1", "termination", new { reason = "诉求人拒绝配合入户核查。" });
        await Site.AdvanceAsync("PT1H");
    }

    private async Task Post(string key, string category, string address, string title) =>
        Ids[key] = await Site.PostMatterAsync("wb-" + key, "suggestion", category, "donghu", address, title, "1370000" + _phone++);

    private async Task Organizer(string key, string action, object body) =>
        await Site.OrganizerPostAsync(await Site.LinkFromSmsAsync(this[key]), action, body);
}

[CollectionDefinition("Workbench")]
public sealed class WorkbenchGroup : ICollectionFixture<WorkbenchFixture>;
