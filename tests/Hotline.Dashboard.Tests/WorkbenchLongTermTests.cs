using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hotline.Dashboard.Tests;

/// <summary>
/// The platform's side of escalation on the workbench (Weifang 23): a supervisor escalates a matter the organizer cannot
/// solve by its id, sees it on the long-term tab with its ordinary deadline held and the office's own clock, then records
/// the study's outcome. A site of its own (the Fujian profile offers escalation as an option), so the shared data is untouched.
/// </summary>
[Collection("Dashboard")]
public sealed class WorkbenchLongTermTests(DashboardFixture month)
{
    [BrowserFact]
    public async Task A_supervisor_escalates_a_matter_and_records_the_outcome_from_the_workbench_Weifang_art_23()
    {
        await using var site = new DashboardSite(month.Azurite, DashboardSite.T("2026-03-02 10:00")).Start();
        var id = await site.PostMatterAsync("wb-lt-1", "complaint", "water-pressure", "donghu", "幸福路16号", "多部门职责交叉的积水问题", "13900001003");
        await site.OrganizerPostAsync(await site.LinkFromSmsAsync(id), "sign", new { });

        await using var desktop = await Desktop.StartAsync();
        var page = desktop.Page;
        await page.GotoAsync(new Uri(site.BaseAddress, "/workbench#longTerm").ToString());
        await page.GetByLabel("工作人员密钥", new() { Exact = true }).FillAsync(DashboardSite.StaffKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "进入工作台", Exact = true }).ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(page.Locator("#tab-longTerm")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.Locator("[data-empty=longTerm]")).ToBeVisibleAsync();

        // Escalate by the matter's id.
        await page.GetByLabel("工单编号", new() { Exact = true }).FillAsync(id);
        await page.Locator("#queue-body [data-action=escalate]").ClickAsync();
        await Expect(page.Locator("#action-dialog")).ToBeVisibleAsync();
        await page.Locator("#action-submit").ClickAsync();
        await Expect(page.Locator("#action-error")).ToHaveTextAsync("请填写提级理由。");
        await page.Locator("#action-text").FillAsync("涉及水务、住建多部门，承办单位无法解决");
        await page.Locator("#action-submit").ClickAsync();
        await Expect(page.Locator("#action-dialog")).ToBeHiddenAsync();

        var row = page.Locator($"#queue-table tr[data-matter='{id}']");
        await Expect(row).ToHaveAttributeAsync("data-kind", "escalation");
        await Expect(row.Locator("[data-field=kind]")).ToHaveTextAsync("提级办理（潍坊条例第23条）");
        await Expect(row.Locator("[data-field=stage]")).ToHaveTextAsync("市政府办公室研究");
        // The ordinary deadline reads as held; the date shown is the escalation's own.
        await Expect(row.Locator("[data-held=escalation]")).ToHaveTextAsync("办理期限暂停");
        var matter = await site.StaffGetAsync($"/api/matters/{id}");
        var escalation = matter.GetProperty("longTerm").GetProperty("escalation");
        Assert.Equal("study", escalation.GetProperty("stage").GetString());
        await Expect(row.Locator("[data-due]")).ToHaveAttributeAsync("data-due", escalation.GetProperty("dueBy").GetString()!);
        await Expect(row.Locator("[data-action=endLongRunning], [data-action=endLegalProcedure]")).ToHaveCountAsync(0);
        await desktop.ScreenshotAsync("workbench-long-term");

        // The study did not solve it: put to the executive meeting.
        await row.Locator("[data-action=recordEscalationOutcome]").ClickAsync();
        await Expect(page.Locator("#action-dialog")).ToBeVisibleAsync();
        await page.Locator("#action-choice").SelectOptionAsync("putToExecutiveMeeting");
        await page.Locator("#action-text").FillAsync("研究后仍未解决，提交常务会议");
        await page.Locator("#action-submit").ClickAsync();
        await Expect(page.Locator("#action-dialog")).ToBeHiddenAsync();
        await Expect(row.Locator("[data-field=stage]")).ToHaveTextAsync("政府常务会议");

        matter = await site.StaffGetAsync($"/api/matters/{id}");
        escalation = matter.GetProperty("longTerm").GetProperty("escalation");
        Assert.Equal("executiveMeeting", escalation.GetProperty("stage").GetString());
        Assert.Equal("municipal-executive-meeting", escalation.GetProperty("owner").GetString());
        var last = matter.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal("escalationOutcomeRecorded", last.GetProperty("event").GetString());
        Assert.Equal("staff", last.GetProperty("actor").GetProperty("kind").GetString(), ignoreCase: true);
        Assert.True(desktop.PageErrors.Count == 0, string.Join("\n", desktop.PageErrors));
    }
}
