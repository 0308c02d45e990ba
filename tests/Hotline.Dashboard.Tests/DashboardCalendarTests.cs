using System.Net;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hotline.Dashboard.Tests;

/// <summary>
/// The calendar card: supervisors see which years have a holiday schedule and a warning for a missing one. A site of
/// its own starts on 28 December 2026 with no 2027 data; the 2027 schedule installed is test data.
/// </summary>
[Collection("Dashboard")]
public sealed class DashboardCalendarTests(DashboardFixture month)
{
    [Fact]
    public async Task Supervisors_see_a_missing_year_until_it_is_installed()
    {
        await using var december = new DashboardSite(month.Azurite, DashboardSite.T("2026-12-28 10:00")).Start();
        await using var desktop = await Desktop.StartAsync();
        var page = desktop.Page;
        await page.GotoAsync(new Uri(december.BaseAddress, "/dashboard").ToString());
        await page.GetByLabel("工作人员密钥", new() { Exact = true }).FillAsync(DashboardSite.StaffKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "进入看板", Exact = true }).ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");

        var warning = page.Locator("#calendar .cal-warning");
        await Expect(warning).ToHaveAttributeAsync("data-missing", "2027");
        await Expect(warning).ToContainTextAsync("缺少 2027 年法定节假日安排");
        await Expect(page.Locator("#calendar li[data-year='2026']")).ToHaveTextAsync("2026 年（随系统发布）");

        using var client = december.Client(DashboardSite.StaffKey);
        using var put = await client.PutAsync("/api/calendars/2027",
            new StringContent("date,kind,holiday\n2027-01-01,off,New Year's Day\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        await page.ReloadAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(warning).ToHaveCountAsync(0);
        await Expect(page.Locator("#calendar .cal-complete")).ToBeVisibleAsync();
        await Expect(page.Locator("#calendar li[data-year='2027']")).ToHaveTextAsync("2027 年（2026-12-28 由 dev-staff 安装）");
        Assert.True(desktop.PageErrors.Count == 0, string.Join("\n", desktop.PageErrors));
    }
}
