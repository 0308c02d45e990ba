using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hotline.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hotline.Browser.Tests;

/// <summary>
/// The organizer's page on a phone, end to end: a channel reports a matter, the assignment SMS carries the link, the
/// organizer opens it in Chromium and does everything there, against the real host and Azurite.
/// </summary>
[Collection("Browser")]
public sealed partial class OrganizerPageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private OrganizerSite? _site;
    private Phone? _phone;

    private OrganizerSite Site => _site ?? throw new InvalidOperationException("not started");

    private IPage Page => (_phone ?? throw new InvalidOperationException("no phone")).Page;

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

    private async Task<IPage> OpenAsync(Uri link, string timezone = "Asia/Shanghai")
    {
        _phone ??= await Phone.StartAsync(timezone);
        var response = await Page.GotoAsync(link.ToString());
        Assert.NotNull(response);
        return Page;
    }

    private ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private void NoScriptErrors()
    {
        var errors = _phone?.PageErrors ?? [];
        Assert.True(errors.Count == 0, "The page reported errors:\n" + string.Join("\n", errors));
    }

    /// <summary>"03-05 17:30", in China Standard Time, as the page shows absolute times.</summary>
    private static string Cst(JsonElement instant) =>
        instant.GetDateTimeOffset().ToOffset(China).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    [BrowserFact]
    public async Task Weifang_31_2_the_organizer_proposes_an_update_of_its_own_knowledge_article_from_the_link_for_the_platforms_review()
    {
        var id = await Site.PostMatterAsync("browser-knowledge-1");
        var page = await OpenAsync(await Site.LinkFromSmsAsync(id));
        await Expect(page.Locator(".badge.status")).ToHaveTextAsync("待签收");
        await page.Locator("#knowledge summary").ClickAsync();
        var article = page.Locator("#f-knowledge-articleId");
        await Expect(article.Locator("option[value='kb-water-planned-outage']")).ToHaveCountAsync(1);
        // Only the unit's own articles are offered for update.
        Assert.Empty(await article.Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value).filter(v => v && !v.startsWith('kb-water'))"));
        await article.SelectOptionAsync("kb-water-planned-outage");
        await Expect(page.GetByLabel("标题", new() { Exact = true })).ToHaveValueAsync("计划停水通知查询");
        await page.GetByLabel("答复内容", new() { Exact = true }).FillAsync("计划停水提前48小时在“澜海水务”公众号和受影响小区公告。");
        await Button("提交平台审核").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("已提交，平台审核后发布。");
        await Expect(page.Locator("#proposals li[data-status=pending]")).ToContainTextAsync("审核中");
        await _phone!.ScreenshotAsync("knowledge-proposed");

        var pending = await Site.StaffGetAsync("/api/knowledge-proposals");
        var proposal = Assert.Single(pending.GetProperty("items").EnumerateArray()).GetProperty("proposal");
        Assert.Equal("kb-water-planned-outage", proposal.GetProperty("articleId").GetString());
        Assert.Equal("lanhai-water", proposal.GetProperty("organizer").GetString());
        Assert.Equal("计划停水提前48小时在“澜海水务”公众号和受影响小区公告。", proposal.GetProperty("draft").GetProperty("answer").GetString());
        // Not published before the review.
        var current = await Site.StaffGetAsync("/api/knowledge/kb-water-planned-outage");
        Assert.Equal(proposal.GetProperty("baseVersion").GetInt32(), current.GetProperty("version").GetInt32());
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task Organizer_signs_records_contact_and_replies_with_a_photo_from_the_SMS_link_and_sees_the_reply_accepted()
    {
        var id = await Site.PostMatterAsync("browser-flow-1");
        var link = await Site.LinkFromSmsAsync(id);
        Assert.StartsWith(Site.BaseAddress + "o/", link.ToString(), StringComparison.Ordinal);
        var view = await Site.OrganizerViewAsync(link);

        var page = await OpenAsync(link);
        await Expect(page.Locator("#matter-title")).ToHaveTextAsync("幸福小区水压不足");
        await Expect(page.Locator(".badge.status")).ToHaveTextAsync("待签收");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.Locator("#details")).ToContainTextAsync("东湖区幸福路12号幸福小区3号楼");
        await Expect(page.Locator(".summary")).ToContainTextAsync("水压不足"); // the category, in words
        await Expect(page.Locator("#details")).ToContainTextAsync("澜海水务集团");
        await Expect(page.Locator("a.call")).ToHaveAttributeAsync("href", "tel:13800001234");
        // Every deadline the server gives, with its absolute time (CST) and a live countdown.
        await Expect(page.Locator("#deadline-signBy .dl-abs")).ToHaveTextAsync($"{Cst(view.GetProperty("deadlines").GetProperty("signBy"))} 截止");
        await Expect(page.Locator("#deadline-signBy .dl-count")).ToHaveTextAsync(new Regex("^剩余 "));
        await Expect(page.Locator("#deadline-dueBy")).ToBeVisibleAsync();
        await Expect(page.Locator("#timeline")).ToContainTextAsync("派单");
        // Before signing only signing (and returning) is offered.
        await Expect(page.Locator("#form-contact")).ToHaveCountAsync(0);
        await Expect(page.Locator("#form-reply")).ToHaveCountAsync(0);
        await _phone!.ScreenshotAsync("01-assigned");

        await Button("签收").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("已签收");
        await Expect(page.Locator(".badge.status")).ToHaveTextAsync("办理中");
        await Expect(page.Locator("#deadline-signBy .dl-count")).ToHaveTextAsync("已完成");
        await Expect(Button("签收")).ToHaveCountAsync(0);

        await page.GetByLabel("联系情况", new() { Exact = true }).FillAsync("已电话联系张先生，约定明早九点上门检测水压。");
        await Button("记录联系情况").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("已记录联系情况");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("联系诉求人");
        await Expect(page.Locator("#deadline-contactBy .dl-count")).ToHaveTextAsync("已完成");

        // A file of a type the server does not take is refused on the phone, before any upload.
        await page.Locator("#pick-gallery").SetInputFilesAsync(new FilePayload { Name = "说明.txt", MimeType = "text/plain", Buffer = "水压记录"u8.ToArray() });
        await Expect(page.Locator("#alert")).ToContainTextAsync("说明.txt：不支持此文件类型");
        await Expect(page.Locator("#file-list")).ToHaveCountAsync(0);

        var photo = TestImages.Png();
        await page.GetByLabel("办理结果", new() { Exact = true }).FillAsync("已更换 3 号楼加压泵，三楼以上水压恢复正常，已请张先生确认。");
        await page.Locator("#pick-gallery").SetInputFilesAsync(new FilePayload { Name = "pump.png", MimeType = "image/png", Buffer = photo });
        await Expect(page.Locator("#file-list .file")).ToHaveCountAsync(1);
        await Expect(page.Locator("#file-list")).ToContainTextAsync("pump.png");
        await Expect(page.Locator("#file-list")).ToContainTextAsync("待上传");
        await _phone.ScreenshotAsync("02-reply-with-photo");
        await Button("提交答复").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("答复已提交");
        await Expect(page.Locator(".badge.status")).ToHaveTextAsync("答复审核中");
        await Expect(page.Locator("#replies")).ToContainTextAsync("已更换 3 号楼加压泵");
        await Expect(page.Locator("#replies")).ToContainTextAsync("审核中");
        await Expect(page.Locator("#replies .evidence li")).ToHaveTextAsync($"照片，{Math.Round(photo.Length / 1024.0)} KB");
        await _phone.ScreenshotAsync("03-replied");

        // The photo went through the SAS into storage, byte for byte.
        var evidence = await Site.StaffGetAsync($"/api/matters/{id}/evidence");
        var stored = Assert.Single(evidence.EnumerateArray());
        Assert.Equal("image/png", stored.GetProperty("contentType").GetString());
        using (var http = new HttpClient())
        {
            Assert.Equal(photo, await http.GetByteArrayAsync(stored.GetProperty("url").GetString()));
        }

        await Site.StaffPostAsync($"/api/matters/{id}/reply-review", new { accept = true });
        await page.ReloadAsync();
        await Expect(page.Locator("#replies")).ToContainTextAsync("已通过审核");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("答复通过审核");
        await Expect(page.Locator("#form-reply")).ToHaveCountAsync(0);
        await Expect(page.Locator("main")).ToContainTextAsync("答复已通过审核，等待市民评价。");
        await _phone.ScreenshotAsync("04-reply-accepted");
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task After_the_extension_cutoff_the_form_is_closed_and_the_servers_refusal_is_shown()
    {
        var id = await Site.PostMatterAsync("browser-extension-1");
        var link = await Site.LinkFromSmsAsync(id);
        var signed = await Site.OrganizerPostAsync(link, "sign", new { });
        Assert.Equal(HttpStatusCode.OK, signed.Status);
        var cutoff = signed.Body.GetProperty("deadlines").GetProperty("extensionCutoff");

        // A phone set to another time zone still shows China Standard Time, counted on the server's clock.
        var page = await OpenAsync(link, timezone: "America/New_York");
        await Expect(page.Locator("#extension .window")).ToHaveTextAsync($"延期申请截止 {Cst(cutoff)}");
        await Expect(page.GetByLabel("延期天数（工作日）")).ToBeEnabledAsync();
        await Expect(Button("提交延期申请")).ToBeEnabledAsync();
        await page.GetByLabel("延期天数（工作日）").FillAsync("2");
        await page.GetByLabel("延期理由").FillAsync("需更换整条供水主管，材料到货需要时间。");

        // The server's clock passes the cutoff while the page still shows the form.
        Site.Clock.Set(cutoff.GetDateTimeOffset().AddMinutes(1));
        await Button("提交延期申请").ClickAsync();
        var refusal = await Site.OrganizerPostAsync(link, "extension", new { workingDays = 2, reason = "需更换整条供水主管，材料到货需要时间。" });
        Assert.True(refusal.Status is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity, $"{refusal.Status}: {refusal.Body}");
        var detail = refusal.Body.GetProperty("detail").GetString()!;
        Assert.Equal("extension.after-cutoff", refusal.Body.GetProperty("code").GetString());
        await Expect(page.Locator("#alert")).ToContainTextAsync("已超过延期申请截止时间");
        await Expect(page.Locator("#alert")).ToContainTextAsync(detail);
        // The page fetched the view again: the form is closed, and the missed contact deadline is red.
        await Expect(page.GetByLabel("延期天数（工作日）")).ToBeDisabledAsync();
        await Expect(Button("提交延期申请")).ToBeDisabledAsync();
        await Expect(page.Locator("#extension-closed")).ToHaveTextAsync("延期申请已截止，请按期办结。");
        await Expect(page.Locator("#deadline-contactBy")).ToHaveClassAsync(new Regex("overdue"));
        await Expect(page.Locator("#deadline-contactBy .dl-count")).ToHaveTextAsync(new Regex("^已超时 "));
        await Expect(page.Locator("#deadline-extensionCutoff .dl-count")).ToHaveTextAsync("已截止");
        await _phone!.ScreenshotAsync("05-extension-refused");

        await page.ReloadAsync();
        await Expect(Button("提交延期申请")).ToBeDisabledAsync();
        await Expect(page.Locator("#extension-closed")).ToBeVisibleAsync();
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task A_wrong_link_shows_only_the_invalid_link_page()
    {
        _phone = await Phone.StartAsync();
        var response = await Page.GotoAsync(new Uri(Site.BaseAddress, "o/NotARealToken_0123456789ab").ToString());
        Assert.Equal(404, response!.Status);
        await Expect(Page.Locator("body")).ToContainTextAsync("链接无效或已过期");
        await Expect(Page.Locator("body")).ToContainTextAsync("This link is no longer valid");
        await Expect(Page.Locator("button, input, textarea, form, a")).ToHaveCountAsync(0);
        await _phone.ScreenshotAsync("06-invalid-link");
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task A_link_that_expires_while_open_shows_only_the_invalid_link_message()
    {
        var id = await Site.PostMatterAsync("browser-expiry-1");
        var link = await Site.LinkFromSmsAsync(id);
        var page = await OpenAsync(link);
        await Expect(Button("签收")).ToBeVisibleAsync();

        Site.Clock.Advance(TimeSpan.FromDays(61)); // links live 60 days at most
        await Button("签收").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("链接无效或已过期");
        await Expect(page.Locator("main")).ToContainTextAsync("This link is no longer valid");
        await Expect(page.Locator("button, input, textarea, form")).ToHaveCountAsync(0);
        await Expect(page.Locator("#matter-title")).ToHaveCountAsync(0);

        var reloaded = await page.ReloadAsync();
        Assert.Equal(404, reloaded!.Status);
        await Expect(page.Locator("body")).ToContainTextAsync("链接无效或已过期");
        await Expect(page.Locator("button, input, textarea, form")).ToHaveCountAsync(0);
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task English_on_request_and_the_choice_is_remembered()
    {
        var id = await Site.PostMatterAsync("browser-lang-1");
        var link = await Site.LinkFromSmsAsync(id);

        var page = await OpenAsync(new Uri(link + "?lang=en"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("#app-title")).ToHaveTextAsync("12345 Matter handling");
        await Expect(page.Locator(".badge.status")).ToHaveTextAsync("Awaiting sign-off");
        await Expect(Button("Sign")).ToBeVisibleAsync();
        await Expect(page.Locator("#deadline-signBy .dl-abs")).ToHaveTextAsync(new Regex(@"^ends \d\d-\d\d \d\d:\d\d$"));
        await Expect(page.Locator("#details")).ToContainTextAsync("Lanhai Water Group");
        await _phone!.ScreenshotAsync("07-english");

        // The toggle switches language and is remembered without the query.
        await page.GetByRole(AriaRole.Button, new() { Name = "切换到中文" }).ClickAsync();
        await Expect(Button("签收")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to English" }).ClickAsync();
        await Expect(Button("Sign")).ToBeVisibleAsync();
        await page.GotoAsync(link.ToString());
        await Expect(Button("Sign")).ToBeVisibleAsync();
        Assert.Equal("en", await page.EvaluateAsync<string>("() => localStorage.getItem('hotline.organizer.lang')"));
        await page.GotoAsync(link + "?lang=zh");
        await Expect(Button("签收")).ToBeVisibleAsync();
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task Works_by_keyboard_with_44px_targets_labelled_fields_no_sideways_scrolling_and_a_masked_citizen()
    {
        var id = await Site.PostMatterAsync("browser-a11y-1", confidential: true);
        var link = await Site.LinkFromSmsAsync(id);
        var page = await OpenAsync(link);
        await Expect(Button("签收")).ToBeVisibleAsync();

        // A confidential citizen: masked, and no number to call.
        await Expect(page.Locator("#details")).ToContainTextAsync("张*");
        await Expect(page.Locator("#details")).ToContainTextAsync("138****1234");
        await Expect(page.Locator("a.call")).ToHaveCountAsync(0);

        // Sign without a pointer: Tab to the button, press Enter.
        for (var i = 0; i < 30 && await page.EvaluateAsync<string>("() => document.activeElement && document.activeElement.id") != "sign-button"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Equal("sign-button", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".badge.status")).ToHaveTextAsync("办理中");
        await Expect(page.Locator("#notice")).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(page.Locator("#alert")).ToHaveAttributeAsync("role", "alert");

        // An empty note is caught on the phone and said in the live region, with the field marked.
        await Button("记录联系情况").ClickAsync();
        await Expect(page.Locator("#alert")).ToContainTextAsync("联系情况: 请填写此项。");
        await Expect(page.GetByLabel("联系情况")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("联系情况")).ToBeFocusedAsync();

        foreach (var label in new[] { "联系情况", "办理结果", "延期天数（工作日）", "延期理由", "终止理由" })
        {
            await Expect(page.GetByLabel(label, new() { Exact = true })).ToBeVisibleAsync();
        }
        var small = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('button, a[href], label.button, textarea, input:not([type=file])')]
              .filter(e => e.getClientRects().length > 0 && !e.classList.contains('skip'))
              .filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
              .map(e => `${e.tagName} ${(e.textContent || e.id).trim()} ${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`)
            """);
        Assert.True(small.Length == 0, "Targets smaller than 44 px: " + string.Join("; ", small));
        var unnamed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('button, textarea, input')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.textContent || '').trim())
              .map(e => e.outerHTML.slice(0, 80))
            """);
        Assert.True(unnamed.Length == 0, "Controls without a name: " + string.Join("; ", unnamed));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways on a 390 px phone.");
        await _phone!.ScreenshotAsync("08-handling-confidential");
        NoScriptErrors();
    }
}
