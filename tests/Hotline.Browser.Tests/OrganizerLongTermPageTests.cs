using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hotline.Browser.Tests;

public sealed partial class OrganizerPageTests
{
    [BrowserFact]
    public async Task Organizer_gives_the_plan_and_staged_feedback_and_records_a_legal_procedure_on_the_page_Guangzhou_long_running()
    {
        var id = await Site.PostMatterAsync("browser-long-term-1");
        var link = await Site.LinkFromSmsAsync(id);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Site.OrganizerPostAsync(link, "sign", new { })).Status);
        await Site.StaffPostAsync($"/api/matters/{id}/long-running", new { guidanceDepartment = "housing", note = "群众持续反映，需长期推进" });

        var page = await OpenAsync(link);
        await Expect(page.Locator("#held-note")).ToHaveAttributeAsync("data-held", "longRunning");
        await Expect(page.Locator("#form-reply")).ToHaveCountAsync(0); // the deadline is held: no reply until the long-term work ends
        await Expect(page.Locator("#form-feedback")).ToHaveCountAsync(0); // feedback follows the plan
        await page.GetByLabel("解决方案", new() { Exact = true }).FillAsync("分三期改造小区供水管网，每月反馈进展。");
        await Button("提交解决方案").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("解决方案已提交");
        await page.GetByLabel("阶段性工作情况", new() { Exact = true }).FillAsync("一期管网已完工。");
        await Button("提交阶段性反馈").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("阶段性反馈已提交");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("阶段性反馈");

        await Site.StaffPostAsync($"/api/matters/{id}/long-running-end", new { note = "改造完成" });
        await page.ReloadAsync();
        await Expect(page.Locator("#held-note")).ToHaveCountAsync(0);
        await page.Locator("#f-legal-kind").SelectOptionAsync("arbitration");
        await page.GetByLabel("程序说明", new() { Exact = true }).FillAsync("诉求人已申请劳动仲裁。");
        await Button("登记法定程序").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("法定程序已登记");
        await Expect(page.Locator("#held-note")).ToHaveAttributeAsync("data-held", "legalProcedure");
        await page.GetByLabel("程序结果", new() { Exact = true }).FillAsync("仲裁裁决已生效。");
        await Button("登记程序结束").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("3个工作日");
        await Expect(page.Locator("#form-reply")).ToHaveCountAsync(1);

        var matter = await Site.StaffGetAsync($"/api/matters/{id}");
        var procedure = matter.GetProperty("longTerm").GetProperty("legalProcedure");
        Assert.Equal("arbitration", procedure.GetProperty("kind").GetString());
        Assert.Equal(procedure.GetProperty("reportBy").GetString(), matter.GetProperty("deadlines").GetProperty("dueBy").GetString());
        NoScriptErrors();
    }
}
