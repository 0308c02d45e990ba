using System.Globalization;
using System.Text.Json;
using Hotline.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hotline.Browser.Tests;

/// <summary>
/// A co-organizer on its phone (Fujian 16; Weifang 22): its own SMS link opens the page with its part to give, and the
/// lead's page then shows that part; the lead's reply offers "explained, not solvable now" once the contact is recorded
/// (Fujian 20(7)).
/// </summary>
[Collection("Browser")]
public sealed class CoOrganizerPageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private OrganizerSite? _site;
    private Phone? _phone;

    private OrganizerSite Site => _site ?? throw new InvalidOperationException("not started");

    public Task InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _site = new OrganizerSite(azurite, OrganizerSite.T("2026-03-02 09:00")).Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_phone is not null) await _phone.DisposeAsync();
        if (_site is not null) await _site.DisposeAsync();
    }

    private async Task<IPage> OpenAsync(Uri link)
    {
        _phone ??= await Phone.StartAsync();
        Assert.NotNull(await _phone.Page.GotoAsync(link.ToString()));
        return _phone.Page;
    }

    private static string Cst(JsonElement instant) =>
        instant.GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    [BrowserFact]
    public async Task A_co_organizer_gives_its_part_from_its_SMS_link_and_the_lead_sees_it_Fujian_art_16()
    {
        // Street vending in Donghu goes at intake to the district government, with urban management as co-organizer.
        var id = await Site.PostMatterAsync("browser-co-1", category: "street-vending");
        var coLink = await Site.LinkFromSmsAsync(id, "CoOrganizerAssignment");
        var leadLink = await Site.LinkFromSmsAsync(id, "Assignment");
        var partBy = (await Site.OrganizerViewAsync(coLink)).GetProperty("parts")[0].GetProperty("partBy");

        var page = await OpenAsync(coLink);
        await Expect(page.Locator("#part")).ToBeVisibleAsync();
        await Expect(page.Locator("#part-due")).ToContainTextAsync(Cst(partBy));
        await Expect(page.Locator("#sign")).ToHaveCountAsync(0); // the lead signs, not the co-organizer
        await Expect(page.Locator("#reply")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "提交协办意见", Exact = true }).ClickAsync();
        await Expect(page.Locator("#form-part .field-error")).ToContainTextAsync("请填写");
        await page.GetByLabel("协办办理情况", new() { Exact = true }).FillAsync("城管已清理幸福路占道经营摊点");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交协办意见", Exact = true }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("协办意见已提交");
        await Expect(page.Locator("#part-given")).ToContainTextAsync("城管已清理幸福路占道经营摊点");
        await Expect(page.Locator("#form-part")).ToHaveCountAsync(0);

        page = await OpenAsync(leadLink);
        await Expect(page.Locator("#parts")).ToContainTextAsync("城管已清理幸福路占道经营摊点");
        await Expect(page.Locator("#parts .badge")).ToHaveTextAsync("已提交");
        Assert.True(_phone!.PageErrors.Count == 0, string.Join("\n", _phone.PageErrors));
    }

    [BrowserFact]
    public async Task The_reply_offers_explained_not_solvable_only_once_the_contact_is_recorded_Fujian_art_20_7()
    {
        var id = await Site.PostMatterAsync("browser-co-2");
        var link = await Site.LinkFromSmsAsync(id);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Site.OrganizerPostAsync(link, "sign", new { })).Status);

        var page = await OpenAsync(link);
        await Expect(page.Locator("#reply-kind-solved")).ToBeCheckedAsync();
        await Expect(page.Locator("#reply-kind-explainedNotSolvable")).ToBeDisabledAsync();

        await page.GetByLabel("联系情况", new() { Exact = true }).FillAsync("已电话联系市民，解释管网改造尚未排期");
        await page.GetByRole(AriaRole.Button, new() { Name = "记录联系情况", Exact = true }).ClickAsync();
        await Expect(page.Locator("#reply-kind-explainedNotSolvable")).ToBeEnabledAsync();
        await page.Locator("#reply-kind-explainedNotSolvable").CheckAsync();
        await Expect(page.Locator("#reply-kind-explainedNotSolvable")).ToBeCheckedAsync();
        Assert.True(_phone!.PageErrors.Count == 0, string.Join("\n", _phone.PageErrors));
    }
}
