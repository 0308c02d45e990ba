using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hotline.Dashboard.Tests;

/// <summary>
/// The long-term card: supervisors see long-running matters (Guangzhou) and escalations (Weifang 23) with their owner and
/// deadline. A site of its own (the Fujian profile, which offers both rules as options), so the shared month is untouched.
/// </summary>
[Collection("Dashboard")]
public sealed class DashboardLongTermTests(DashboardFixture month)
{
    [BrowserFact]
    public async Task Supervisors_see_long_running_matters_and_escalations_with_owner_and_deadline_Guangzhou_long_running_Weifang_art_23()
    {
        await using var site = new DashboardSite(month.Azurite, DashboardSite.T("2026-03-02 10:00")).Start();
        var running = await site.PostMatterAsync("lt-1", "complaint", "water-pressure", "donghu", "幸福路12号", "小区水压长期不足", "13900001001");
        var escalated = await site.PostMatterAsync("lt-2", "complaint", "water-pressure", "donghu", "幸福路14号", "多部门职责交叉的积水问题", "13900001002");
        foreach (var id in new[] { running, escalated }) await site.OrganizerPostAsync(await site.LinkFromSmsAsync(id), "sign", new { });
        await site.StaffPostAsync($"/api/matters/{running}/long-running", new { guidanceDepartment = "housing", note = "群众持续反映，需长期推进" });
        await site.StaffPostAsync($"/api/matters/{escalated}/escalation", new { reason = "承办单位无法解决" });

        await using var desktop = await Desktop.StartAsync();
        var page = desktop.Page;
        await page.GotoAsync(new Uri(site.BaseAddress, "/dashboard").ToString());
        await page.GetByLabel("工作人员密钥", new() { Exact = true }).FillAsync(DashboardSite.StaffKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "进入看板", Exact = true }).ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");

        var rows = page.Locator("#lt-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var longRunning = page.Locator($"#lt-table tr[data-matter='{running}']");
        await Expect(longRunning).ToHaveAttributeAsync("data-kind", "longRunning");
        await Expect(longRunning.Locator("[data-field=kind]")).ToHaveTextAsync("长期推进（广州办法）");
        await Expect(longRunning.Locator("[data-field=owner]")).ToHaveAttributeAsync("data-value", "housing");
        await Expect(longRunning.Locator("[data-field=stage]")).ToHaveTextAsync("待报解决方案");
        await Expect(longRunning.Locator("[data-field=dueBy]")).ToContainTextAsync("2026-03-16"); // the plan: 10 working days
        var escalation = page.Locator($"#lt-table tr[data-matter='{escalated}']");
        await Expect(escalation.Locator("[data-field=kind]")).ToHaveTextAsync("提级办理（潍坊条例第23条）");
        await Expect(escalation.Locator("[data-field=owner]")).ToHaveTextAsync("municipal-government-office");
        await Expect(escalation.Locator("[data-field=stage]")).ToHaveTextAsync("市政府办公室研究");
        await Expect(escalation).ToHaveAttributeAsync("data-overdue", "false");
        Assert.True(desktop.PageErrors.Count == 0, string.Join("\n", desktop.PageErrors));
    }
}
