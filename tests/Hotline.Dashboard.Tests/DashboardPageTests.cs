using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hotline.Dashboard.Tests;

/// <summary>
/// The supervisors' dashboard on a desktop, end to end: a month of matters seeded through the API on the real host,
/// the page opened in Chromium at 1440×900, the staff key entered, and every number the page shows compared with
/// what the staff APIs return for the same period, and with the seeded facts where they are simple.
/// </summary>
[Collection("Dashboard")]
public sealed class DashboardPageTests(DashboardFixture month) : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // The server's clock ends the seed on Monday 23 March 2026; the default period is the 30 days ending that day.
    private const string From = "2026-02-22T00:00:00+08:00";
    private const string To = "2026-03-24T00:00:00+08:00";
    private const string Period = "from=2026-02-22T00%3A00%3A00%2B08%3A00&to=2026-03-24T00%3A00%3A00%2B08%3A00";

    private Desktop? _desktop;

    private DashboardSite Site => month.Site;

    private IPage Page => (_desktop ?? throw new InvalidOperationException("no browser")).Page;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _desktop = await Desktop.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_desktop is not null) await _desktop.DisposeAsync();
    }

    private Task<JsonElement> OrganizerReportAsync() => Site.StaffGetAsync("/api/reports/organizers?" + Period);

    private Task<JsonElement> HotspotsAsync() => Site.StaffGetAsync("/api/reports/hotspots?" + Period);

    /// <summary>Opens /dashboard, enters the staff key and waits until every section has loaded.</summary>
    private async Task OpenAsync(bool screenshotKeyForm = false)
    {
        var response = await Page.GotoAsync(new Uri(Site.BaseAddress, "/dashboard").ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(Page.Locator("#key-panel")).ToBeVisibleAsync();
        if (screenshotKeyForm) await _desktop!.ScreenshotAsync("01-key");
        await Page.GetByLabel("工作人员密钥", new() { Exact = true }).FillAsync(DashboardSite.StaffKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "进入看板", Exact = true }).ClickAsync();
        await Expect(Page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
    }

    private void NoScriptErrors()
    {
        var errors = _desktop?.PageErrors ?? [];
        Assert.True(errors.Count == 0, "The page reported errors:\n" + string.Join("\n", errors));
    }

    /// <summary>"2026-03-09 17:30" in China Standard Time, as the page shows instants; "—" for none.</summary>
    private static string Cst(JsonElement instant) =>
        instant.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? "—"
            : instant.GetDateTimeOffset().ToOffset(China).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static JsonElement Prop(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v : default;

    private static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Hours(JsonElement h) =>
        h.ValueKind is JsonValueKind.Number ? h.GetDouble().ToString("0.0", CultureInfo.InvariantCulture) : "—";

    /// <summary>The change column: the relative change as a signed percentage; "新增" when there was nothing before.</summary>
    private static string Change(JsonElement x)
    {
        var change = x.GetProperty("change");
        if (change.ValueKind == JsonValueKind.Null) return x.GetProperty("count").GetInt32() > 0 && x.GetProperty("previous").GetInt32() == 0 ? "新增" : "—";
        var c = change.GetDouble();
        return (c > 0 ? "+" : c < 0 ? "−" : "") + (Math.Abs(c) * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }

    private static void AssertOrganizerRow(JsonElement o, Dictionary<string, string> row)
    {
        if (o.TryGetProperty("organizer", out var id) && id.GetString() != "*") Assert.Equal(o.GetProperty("name").GetProperty("zh").GetString(), row["name"]);
        foreach (var count in new[] { "received", "returned", "returnsApproved", "completed", "extended", "terminated", "evaluated", "handledAgain", "supervised" })
        {
            Assert.Equal(o.GetProperty(count).GetInt32().ToString(CultureInfo.InvariantCulture), row[count]);
        }
        foreach (var rate in o.GetProperty("rates").EnumerateObject())
        {
            var of = rate.Value.GetProperty("of").GetInt32();
            var value = rate.Value.GetProperty("value");
            Assert.Equal((value.ValueKind == JsonValueKind.Null ? "样本不足" : Percent(value.GetDouble())) + "|n=" + of, row["rate." + rate.Name]);
        }
        foreach (var time in new[] { "hoursToSign", "hoursToComplete" })
        {
            var h = o.GetProperty(time);
            Assert.Equal($"{Hours(Prop(h, "median"))} / {Hours(Prop(h, "p90"))}", row[time]);
        }
        // Replies that solved the matter and those "explained, not solvable now" counted apart; co-organizers' missing
        // parts (passive coping, Fujian 30(4)).
        Assert.Equal(o.GetProperty("solved").GetInt32().ToString(CultureInfo.InvariantCulture), row["solved"]);
        Assert.Equal(o.GetProperty("explainedNotSolvable").GetInt32().ToString(CultureInfo.InvariantCulture), row["explainedNotSolvable"]);
        Assert.Equal(o.GetProperty("coOrganizing").GetProperty("missing").GetInt32().ToString(CultureInfo.InvariantCulture), row["coOrganizingMissing"]);
    }

    /// <summary>Each row of a table as {key, cells: {data-field: text}}; rate cells give "value|n=of".</summary>
    private async Task<Dictionary<string, Dictionary<string, string>>> RowsAsync(string rowSelector, string keyAttribute)
    {
        var rows = await Page.Locator(rowSelector).EvaluateAllAsync<JsonElement>($$"""
            rows => rows.map(r => ({
              key: r.getAttribute('{{keyAttribute}}'),
              cells: Object.fromEntries([...r.querySelectorAll('[data-field]')].map(c => {
                const value = c.querySelector('.rate-value');
                const small = c.querySelector('small');
                return [c.dataset.field, value ? value.textContent.trim() + '|' + small.textContent.trim() : c.textContent.trim()];
              })),
              values: Object.fromEntries([...r.querySelectorAll('[data-field][data-value]')].map(c => [c.dataset.field, c.dataset.value])),
              reasons: [...r.querySelectorAll('[data-reason]')].map(c => c.dataset.reason).join(','),
            }))
            """);
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in rows.EnumerateArray())
        {
            var cells = row.GetProperty("cells").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            foreach (var v in row.GetProperty("values").EnumerateObject()) cells["value:" + v.Name] = v.Value.GetString() ?? "";
            cells["reasons"] = row.GetProperty("reasons").GetString() ?? "";
            result[row.GetProperty("key").GetString() ?? ""] = cells;
        }
        return result;
    }

    private async Task<Dictionary<string, Dictionary<string, string>>> OrganizerRowsAsync() => await RowsAsync("#org-table tbody tr", "data-organizer");

    private async Task<Dictionary<string, Dictionary<string, string>>> SupervisionRowsAsync() => await RowsAsync("#sup-table tbody tr", "data-matter");

    private async Task<List<JsonElement>> SupervisionItemsAsync(string query = "pageSize=50")
    {
        var items = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await Site.StaffGetAsync("/api/supervision?" + query + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            token = Prop(page, "continuationToken") is { ValueKind: JsonValueKind.String } t ? t.GetString() : null;
        } while (token is not null);
        return items;
    }

    private static void AssertSupervisionRows(IReadOnlyList<JsonElement> items, Dictionary<string, Dictionary<string, string>> rows)
    {
        Assert.Equal(items.Select(i => i.GetProperty("matterId").GetString()!).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var item in items)
        {
            var row = rows[item.GetProperty("matterId").GetString()!];
            Assert.Equal(item.GetProperty("title").GetString(), row["title"]);
            Assert.Equal(Prop(item, "organizer").GetString() ?? "", row["value:organizer"]);
            Assert.Equal(Prop(item, "district").GetString() ?? "", row["value:district"]);
            Assert.Equal(item.GetProperty("status").GetString(), row["value:status"]);
            Assert.Equal(string.Join(",", item.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("reason").GetString())), row["reasons"]);
            Assert.Equal(Cst(Prop(item, "since")), row["since"]);
            Assert.Equal(Cst(Prop(item, "dueBy")), row["dueBy"]);
            Assert.Equal(Cst(Prop(item, "nextDeadline")), row["nextDeadline"]);
        }
    }

    [BrowserFact]
    public async Task Supervisor_enters_the_key_and_sees_the_true_numbers_of_the_seeded_month()
    {
        await OpenAsync(screenshotKeyForm: true);
        await Expect(Page.Locator("h1")).ToHaveTextAsync("12345 督办考核看板");

        // The default period: the 30 days that end on the server's day, sent as instants at China midnight.
        await Expect(Page.Locator("#from")).ToHaveValueAsync("2026-02-22");
        await Expect(Page.Locator("#to")).ToHaveValueAsync("2026-03-23");
        Assert.Contains(_desktop!.ApiRequests, url => url.EndsWith("/api/reports/organizers?" + Period, StringComparison.Ordinal));
        Assert.Contains(_desktop.ApiRequests, url => url.EndsWith("/api/reports/hotspots?" + Period, StringComparison.Ordinal));
        await Expect(Page.Locator("#period-shown")).ToContainTextAsync("统计期间 2026-02-22 至 2026-03-23");

        // The supervision list: exactly the API's items, and exactly the seeded matters the store says are supervised.
        var items = await SupervisionItemsAsync();
        var rows = await SupervisionRowsAsync();
        AssertSupervisionRows(items, rows);
        var supervised = await month.SupervisedNowAsync();
        Assert.Equal(supervised.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("signOffOverdue", rows[month["p2"].Id]["reasons"], StringComparison.Ordinal); // never signed
        Assert.Contains("signOffOverdue", rows[month["w8"].Id]["reasons"], StringComparison.Ordinal);
        Assert.Contains("handlingOverdue", rows[month["p1"].Id]["reasons"], StringComparison.Ordinal); // signed, never completed
        Assert.Contains("handlingOverdue", rows[month["h1"].Id]["reasons"], StringComparison.Ordinal);
        Assert.Contains("staffDecision", rows[month["f1"].Id]["reasons"], StringComparison.Ordinal);
        foreach (var done in new[] { "w1", "w2", "w3", "w4", "w5", "w9", "w10" }) Assert.DoesNotContain(month[done].Id, rows.Keys);
        await Expect(Page.Locator($"#sup-table tr[data-matter='{month["p2"].Id}'] [data-field=organizer]")).ToHaveTextAsync("国网澜海供电公司");
        await Expect(Page.Locator($"#sup-table tr[data-matter='{month["p2"].Id}'] [data-field=district]")).ToHaveTextAsync("北塘县");
        await Expect(Page.Locator($"#sup-table tr[data-matter='{month["p2"].Id}'] [data-field=status]")).ToHaveTextAsync("待签收");
        await Expect(Page.Locator("[data-kpi=supervised]")).ToHaveTextAsync(supervised.Count.ToString(CultureInfo.InvariantCulture));

        // The organizer table: every count, rate and time the report gives, for each unit and for all together;
        // "too few to rate", never 0%.
        var report = await OrganizerReportAsync();
        Assert.Equal(From, report.GetProperty("from").GetString());
        Assert.Equal(To, report.GetProperty("to").GetString());
        var organizers = report.GetProperty("organizers").EnumerateArray().ToList();
        var table = await OrganizerRowsAsync();
        Assert.Equal(organizers.Select(o => o.GetProperty("organizer").GetString()!).Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        foreach (var o in organizers) AssertOrganizerRow(o, table[o.GetProperty("organizer").GetString()!]);
        var all = (await RowsAsync("#org-table tfoot tr", "data-organizer"))["*all"];
        AssertOrganizerRow(report.GetProperty("all"), all);
        Assert.Equal("全部承办单位", all["name"]);
        await Expect(Page.Locator("#org-table th[data-col=explainedNotSolvable]")).ToHaveTextAsync("已解释、暂不能解决");
        await Expect(Page.Locator("#org-table th[data-col=coOrganizingMissing]")).ToHaveTextAsync("协办部分未提交（消极应付）");
        var tooFew = organizers.Sum(o => o.GetProperty("rates").EnumerateObject().Count(r => r.Value.GetProperty("value").ValueKind == JsonValueKind.Null));
        Assert.True(tooFew > 0, "The seeded month has organizers with too few matters to rate.");
        await Expect(Page.Locator("#org-table tbody td.rate.none")).ToHaveCountAsync(tooFew);
        await Expect(Page.Locator("#org-table td.rate.none").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^样本不足"));
        Assert.Equal(0, await Page.Locator("#org-table td.rate.none").Filter(new() { HasText = "%" }).CountAsync());
        if (!report.GetProperty("weighted").GetBoolean())
        {
            await Expect(Page.Locator("#org-table th[data-col=rank], #org-table [data-field=rank], #org-table [data-field=score]")).ToHaveCountAsync(0);
        }
        await Expect(Page.Locator("[data-kpi=completed]")).ToHaveTextAsync(report.GetProperty("all").GetProperty("completed").GetInt32().ToString(CultureInfo.InvariantCulture));
        await Expect(Page.Locator("[data-kpi=evaluated]")).ToHaveTextAsync(report.GetProperty("all").GetProperty("evaluated").GetInt32().ToString(CultureInfo.InvariantCulture));
        // Seeded facts: what each organizer received.
        foreach (var group in month.InPeriod.GroupBy(m => m.Organizer))
        {
            Assert.Equal(group.Count().ToString(CultureInfo.InvariantCulture), table[group.Key]["received"]);
        }

        // Hotspots: categories, districts and weeks, against the API and the seed.
        var hotspots = await HotspotsAsync();
        var districtRows = await RowsAsync("#district-table tbody tr", "data-district");
        foreach (var d in hotspots.GetProperty("byDistrict").EnumerateArray())
        {
            var row = districtRows[d.GetProperty("district").GetString()!];
            Assert.Equal(d.GetProperty("count").GetInt32().ToString(CultureInfo.InvariantCulture), row["count"]);
            Assert.Equal(d.GetProperty("previous").GetInt32().ToString(CultureInfo.InvariantCulture), row["previous"]);
            Assert.Equal(Change(d), row["change"]);
        }
        Assert.Equal(hotspots.GetProperty("byDistrict").GetArrayLength(), districtRows.Count);
        foreach (var group in month.InPeriod.GroupBy(m => m.District))
        {
            Assert.Equal(group.Count().ToString(CultureInfo.InvariantCulture), districtRows[group.Key]["count"]);
        }
        foreach (var group in month.Previous.GroupBy(m => m.District))
        {
            Assert.Equal(group.Count().ToString(CultureInfo.InvariantCulture), districtRows[group.Key]["previous"]);
        }
        Assert.Equal("+600.0%", districtRows["donghu"]["change"]); // 7 against 1
        Assert.Equal("新增", districtRows["nangang"]["change"]); // none before
        var categoryRows = await RowsAsync("#category-table tbody tr", "data-category");
        Assert.Equal(hotspots.GetProperty("byCategory").GetArrayLength(), categoryRows.Count);
        foreach (var c in hotspots.GetProperty("byCategory").EnumerateArray())
        {
            var row = categoryRows[c.GetProperty("category").GetString()!];
            Assert.Equal(c.GetProperty("count").GetInt32().ToString(CultureInfo.InvariantCulture), row["count"]);
            Assert.Equal(c.GetProperty("previous").GetInt32().ToString(CultureInfo.InvariantCulture), row["previous"]);
            Assert.Equal(Change(c), row["change"]);
        }
        foreach (var group in month.InPeriod.GroupBy(m => m.Category))
        {
            Assert.Equal(group.Count().ToString(CultureInfo.InvariantCulture), categoryRows[group.Key]["count"]);
        }
        foreach (var group in month.Previous.GroupBy(m => m.Category))
        {
            Assert.Equal(group.Count().ToString(CultureInfo.InvariantCulture), categoryRows[group.Key]["previous"]);
        }
        Assert.Equal("+500.0%", categoryRows["water-pressure"]["change"]); // 6 against 1
        Assert.Equal("0.0%", categoryRows["taxi"]["change"]); // 1 against 1
        await Expect(Page.Locator("[data-kpi=received]")).ToHaveTextAsync(month.InPeriod.Count().ToString(CultureInfo.InvariantCulture));
        await Expect(Page.Locator("#kpi-received .kpi-note")).ToHaveTextAsync($"上一期 {month.Previous.Count()}");

        // Repeated reports: the four in-period matters about the same address.
        var repeated = hotspots.GetProperty("repeated").EnumerateArray()
            .Single(r => r.GetProperty("category").GetString() == "water-pressure" && r.GetProperty("district").GetString() == "donghu");
        var xingfu = new[] { "w1", "w3", "w9", "w10" }.Select(k => month[k].Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(xingfu, repeated.GetProperty("matters").EnumerateArray().Select(m => m.GetString()!).Order(StringComparer.Ordinal));
        await Expect(Page.Locator("#repeated-table tr[data-category=water-pressure][data-district=donghu] [data-field=count]")).ToHaveTextAsync("4");
        await Expect(Page.Locator("#repeated-table tr[data-category=water-pressure][data-district=donghu] [data-field=matters] li")).ToHaveTextAsync(
            repeated.GetProperty("matters").EnumerateArray().Select(m => m.GetString()!).ToArray());

        // Matters per week: the chart's segments and the data table add up to the API's weeks (Mondays 2, 9, 16, 23 March).
        var byWeek = hotspots.GetProperty("byWeek").EnumerateArray()
            .GroupBy(w => w.GetProperty("weekStart").GetString()![..10])
            .ToDictionary(g => g.Key, g => g.Sum(w => w.GetProperty("count").GetInt32()));
        Assert.Equal(["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"], byWeek.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(month.InPeriod.Count(), byWeek.Values.Sum());
        Assert.Equal([9, 3, 2, 2], byWeek.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Value));
        foreach (var (week, total) in byWeek)
        {
            var segments = await Page.Locator($"#weeks-svg g.week[data-week='{week}'] rect.segment").EvaluateAllAsync<int[]>("rs => rs.map(r => Number(r.dataset.count))");
            Assert.Equal(total, segments.Sum());
            await Expect(Page.Locator($"#weeks-data tfoot td[data-week='{week}']")).ToHaveTextAsync(total.ToString(CultureInfo.InvariantCulture), new() { UseInnerText = false });
        }

        // The rates chart: one group per active organizer, two bars each, hatched where there are too few to rate.
        var active = organizers.Where(o => o.GetProperty("received").GetInt32() + o.GetProperty("completed").GetInt32() + o.GetProperty("evaluated").GetInt32() > 0).ToList();
        await Expect(Page.Locator("#rates-svg g.org-group")).ToHaveCountAsync(active.Count);
        await Expect(Page.Locator("#rates-svg rect.bar")).ToHaveCountAsync(active.Count * 2);
        var hatched = active.Sum(o => new[] { "onTime", "satisfaction" }.Count(r => o.GetProperty("rates").GetProperty(r).GetProperty("value").ValueKind == JsonValueKind.Null));
        await Expect(Page.Locator("#rates-svg rect.bar.too-few")).ToHaveCountAsync(hatched);
        await Expect(Page.Locator("#rates-svg")).ToHaveAttributeAsync("role", "img");
        await Expect(Page.Locator("#rates-svg > title")).ToHaveTextAsync("各承办单位按时办结率与满意率");

        await Page.EvaluateAsync("document.fonts.ready");
        await _desktop.ScreenshotAsync("02-dashboard-zh");
        await Desktop.ScreenshotAsync(Page.Locator("section:has(#org-table)"), "02a-organizers-zh");
        await Desktop.ScreenshotAsync(Page.Locator("section:has(#rates-svg)"), "02b-rates-chart-zh");
        await Desktop.ScreenshotAsync(Page.Locator("div.two-col").First, "02c-weeks-districts-zh");
        await Desktop.ScreenshotAsync(Page.Locator("div.two-col").Last, "02d-categories-repeated-zh");
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task The_English_toggle_shows_the_same_numbers_in_English()
    {
        await OpenAsync();
        var report = await OrganizerReportAsync();
        var before = await OrganizerRowsAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Switch to English" }).ClickAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("12345 Supervision Dashboard");
        await Expect(Page.Locator("#org-title")).ToHaveTextAsync("Organizer assessment");
        await Expect(Page.Locator("#sup-table thead")).ToContainTextAsync("Next deadline");
        await Expect(Page.Locator($"#sup-table tr[data-matter='{month["p2"].Id}'] [data-field=status]")).ToHaveTextAsync("Awaiting sign-off");
        await Expect(Page.Locator($"#sup-table tr[data-matter='{month["p2"].Id}'] [data-field=district]")).ToHaveTextAsync("Beitang County");

        var after = await OrganizerRowsAsync();
        foreach (var o in report.GetProperty("organizers").EnumerateArray())
        {
            var id = o.GetProperty("organizer").GetString()!;
            Assert.Equal(o.GetProperty("name").GetProperty("en").GetString(), after[id]["name"]);
            foreach (var (field, text) in before[id].Where(c => c.Key != "name"))
            {
                Assert.Equal(text.Replace("样本不足", "Too few to rate", StringComparison.Ordinal), after[id][field]);
            }
        }
        await Expect(Page.Locator("#rates-svg > title")).ToHaveTextAsync("On-time and satisfaction rates per organizer");
        await Page.EvaluateAsync("document.fonts.ready");
        await _desktop!.ScreenshotAsync("03-dashboard-en");

        // The narrowest desktop the page is made for: nothing runs off the side, the organizer table included.
        await Page.SetViewportSizeAsync(1280, 800);
        Assert.True(await Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 1280"), "The page is wider than 1280 px.");
        foreach (var wrap in new[] { "#org-body", "#sup-body", "#cat-body", "#rep-body" })
        {
            var overflow = await Page.Locator(wrap).EvaluateAsync<string>("""
                e => e.scrollWidth <= e.clientWidth + 1 ? '' : `${e.scrollWidth} > ${e.clientWidth}: ` +
                  [...e.querySelectorAll('th, td')].filter(c => c.scrollWidth > c.clientWidth + 1).map(c => `${c.textContent} (${c.scrollWidth} > ${c.clientWidth})`).slice(0, 8).join('; ')
                """);
            Assert.True(overflow.Length == 0, $"{wrap} scrolls sideways at 1280 px: {overflow}");
        }
        await _desktop.ScreenshotAsync("03b-dashboard-en-1280");
        await Page.SetViewportSizeAsync(1440, 900);

        // The choice holds on the next visit, and the key for the rest of the tab's life.
        await Page.ReloadAsync();
        await Expect(Page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("12345 Supervision Dashboard");
        await Page.GetByRole(AriaRole.Button, new() { Name = "切换到中文" }).ClickAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task With_weights_configured_the_table_shows_the_score_and_rank_the_report_gives()
    {
        // The host reads the weights per request; set them in its configuration for this test only.
        var configuration = Site.Services.GetRequiredService<IConfiguration>();
        configuration["Hotline:Assessment:Weights:onTime"] = "1";
        configuration["Hotline:Assessment:Weights:satisfaction"] = "1";
        try
        {
            var report = await OrganizerReportAsync();
            Assert.True(report.GetProperty("weighted").GetBoolean());
            await OpenAsync();
            await Expect(Page.Locator("#org-table thead")).ToContainTextAsync("排名");
            await Expect(Page.Locator("#org-table thead")).ToContainTextAsync("综合得分");
            await Expect(Page.Locator("#org-note")).ToContainTextAsync("排名依综合得分");
            var order = await Page.Locator("#org-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.organizer)");
            var organizers = report.GetProperty("organizers").EnumerateArray().ToList();
            Assert.Equal(organizers.Select(o => o.GetProperty("organizer").GetString()), order); // ranked first, as the report orders them
            var rows = await OrganizerRowsAsync();
            foreach (var o in organizers)
            {
                var row = rows[o.GetProperty("organizer").GetString()!];
                var rank = Prop(o, "rank");
                var score = Prop(o, "score");
                Assert.Equal(rank.ValueKind == JsonValueKind.Number ? rank.GetInt32().ToString(CultureInfo.InvariantCulture) : "—", row["rank"]);
                Assert.Equal(score.ValueKind == JsonValueKind.Number ? score.GetDouble().ToString("0.0", CultureInfo.InvariantCulture) : "—", row["score"]);
                AssertOrganizerRow(o, row);
            }
            Assert.Equal("1", rows["lanhai-water"]["rank"]); // the only unit with both rates
            await Desktop.ScreenshotAsync(Page.Locator("section:has(#org-table)"), "06-organizers-weighted-zh");
            NoScriptErrors();
        }
        finally
        {
            configuration["Hotline:Assessment:Weights:onTime"] = "0";
            configuration["Hotline:Assessment:Weights:satisfaction"] = "0";
        }
        Assert.False((await OrganizerReportAsync()).GetProperty("weighted").GetBoolean());
    }

    [BrowserFact]
    public async Task Filters_show_what_the_supervision_API_returns_for_them()
    {
        await OpenAsync();
        await Page.GetByLabel("督办原因", new() { Exact = true }).SelectOptionAsync("signOffOverdue");
        await Page.GetByRole(AriaRole.Button, new() { Name = "筛选", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#sup-table tbody tr")).ToHaveCountAsync((await SupervisionItemsAsync("reason=signOffOverdue&pageSize=50")).Count);
        AssertSupervisionRows(await SupervisionItemsAsync("reason=signOffOverdue&pageSize=50"), await SupervisionRowsAsync());
        Assert.Contains(month["p2"].Id, (await SupervisionRowsAsync()).Keys);

        await Page.GetByLabel("督办原因", new() { Exact = true }).SelectOptionAsync("");
        await Page.GetByLabel("承办单位", new() { Exact = true }).SelectOptionAsync("lanhai-water");
        await Page.GetByLabel("区域", new() { Exact = true }).SelectOptionAsync("xiling");
        await Page.GetByRole(AriaRole.Button, new() { Name = "筛选", Exact = true }).ClickAsync();
        var expected = await SupervisionItemsAsync("organizer=lanhai-water&district=xiling&pageSize=50");
        await Expect(Page.Locator("#sup-table tbody tr")).ToHaveCountAsync(expected.Count);
        AssertSupervisionRows(expected, await SupervisionRowsAsync());
        Assert.Contains(_desktop!.ApiRequests, u => u.Contains("/api/supervision?organizer=lanhai-water&district=xiling&pageSize=50", StringComparison.Ordinal));
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task A_supervisor_reminds_an_organizer_and_lifts_supervision_from_the_list()
    {
        await OpenAsync();
        var p2 = month["p2"].Id;
        var smsBefore = (await Site.SmsAsync(p2)).GetArrayLength();
        await Page.Locator($"#sup-table tr[data-matter='{p2}'] button[data-action=remind]").ClickAsync();
        await Expect(Page.Locator("#action-dialog")).ToBeVisibleAsync();
        await Expect(Page.Locator("#action-title")).ToHaveTextAsync("催办承办单位");
        await Page.GetByRole(AriaRole.Button, new() { Name = "发送催办", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#action-error")).ToHaveTextAsync("请填写此项。"); // nothing is sent without a note
        await Page.GetByLabel("催办说明（将短信通知承办单位）").FillAsync("请今天下班前签收并联系诉求人。");
        await _desktop!.ScreenshotAsync("04-remind-dialog");
        await Page.GetByRole(AriaRole.Button, new() { Name = "发送催办", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#notice")).ToHaveTextAsync($"已催办 {p2}。");
        await Expect(Page.Locator("#action-dialog")).ToBeHiddenAsync();
        Assert.True((await Site.SmsAsync(p2)).GetArrayLength() > smsBefore, "The reminder goes to the organizer by SMS.");
        var timeline = (await Site.StaffGetAsync($"/api/matters/{p2}")).GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("event").GetString());
        Assert.Contains("organizerReminded", timeline);

        var t1 = month["t1"].Id;
        var count = await Page.Locator("#sup-table tbody tr").CountAsync();
        await Page.Locator($"#sup-table tr[data-matter='{t1}'] button[data-action=lift]").ClickAsync();
        await Page.GetByLabel("解除理由").FillAsync("出租车公司已整改，诉求人认可。");
        await Page.GetByRole(AriaRole.Button, new() { Name = "确认解除", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#notice")).ToHaveTextAsync($"已解除 {t1} 的督办。");
        await Expect(Page.Locator($"#sup-table tr[data-matter='{t1}']")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#sup-table tbody tr")).ToHaveCountAsync(count - 1);
        Assert.False((await Site.StaffGetAsync($"/api/matters/{t1}")).GetProperty("supervised").GetBoolean());
        AssertSupervisionRows(await SupervisionItemsAsync(), await SupervisionRowsAsync());
        await _desktop.ScreenshotAsync("05-after-lift");
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task The_CSV_buttons_download_what_the_API_serves_as_CSV()
    {
        await OpenAsync();
        foreach (var (button, path) in new[] { ("#org-csv", "/api/reports/organizers?" + Period), ("#hot-csv", "/api/reports/hotspots?" + Period) })
        {
            var download = await Page.RunAndWaitForDownloadAsync(() => Page.Locator(button).ClickAsync());
            var file = Path.Combine(AppContext.BaseDirectory, "downloads", download.SuggestedFilename);
            await download.SaveAsAsync(file);
            using var client = Site.Client(DashboardSite.StaffKey);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/csv");
            using var response = await client.SendAsync(request);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await response.Content.ReadAsByteArrayAsync(), await File.ReadAllBytesAsync(file)); // byte for byte, BOM included
            Assert.Equal(response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), download.SuggestedFilename);
            await Expect(Page.Locator("#notice")).ToContainTextAsync("已下载 " + download.SuggestedFilename);
        }
        // The supervision list: the server's CSV if it serves one, else the page writes it from the same list.
        var supervision = await Page.RunAndWaitForDownloadAsync(() => Page.Locator("#sup-csv").ClickAsync());
        Assert.EndsWith(".csv", supervision.SuggestedFilename, StringComparison.Ordinal);
        var saved = Path.Combine(AppContext.BaseDirectory, "downloads", supervision.SuggestedFilename);
        await supervision.SaveAsAsync(saved);
        var bytes = await File.ReadAllBytesAsync(saved);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var items = await SupervisionItemsAsync();
        Assert.Equal(items.Count + 1, lines.Length);
        foreach (var item in items) Assert.Contains(lines, l => l.StartsWith(item.GetProperty("matterId").GetString() + ",", StringComparison.Ordinal));
        NoScriptErrors();
    }

    [BrowserFact]
    public async Task A_wrong_key_is_refused_and_asked_for_again()
    {
        var response = await Page.GotoAsync(new Uri(Site.BaseAddress, "/dashboard").ToString());
        Assert.NotNull(response);
        await Page.GetByRole(AriaRole.Button, new() { Name = "进入看板", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#key-error")).ToHaveTextAsync("请输入密钥。");
        await Page.GetByLabel("工作人员密钥", new() { Exact = true }).FillAsync("not-a-key");
        await Page.GetByRole(AriaRole.Button, new() { Name = "进入看板", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#key-error")).ToHaveTextAsync("密钥无效或无权访问，请重新输入。");
        await Expect(Page.Locator("#board")).ToBeHiddenAsync();
        Assert.Null(await Page.EvaluateAsync<string?>("sessionStorage.getItem('hotline.dashboard.key')"));
        // A channel's key is not a staff key either.
        await Page.GetByLabel("工作人员密钥", new() { Exact = true }).FillAsync(DashboardSite.ChannelKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "进入看板", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#key-error")).ToHaveTextAsync("密钥无效或无权访问，请重新输入。");
        // The right key opens the board; signing out forgets it.
        await Page.GetByLabel("工作人员密钥", new() { Exact = true }).FillAsync(DashboardSite.StaffKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "进入看板", Exact = true }).ClickAsync();
        await Expect(Page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
        await Page.GetByRole(AriaRole.Button, new() { Name = "退出", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#key-panel")).ToBeVisibleAsync();
        Assert.Null(await Page.EvaluateAsync<string?>("sessionStorage.getItem('hotline.dashboard.key')"));
    }

    [BrowserFact]
    public async Task The_page_and_its_assets_are_served_from_the_assembly_and_load_nothing_from_elsewhere()
    {
        var outside = new List<string>();
        Page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(Site.BaseAddress.ToString(), StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal) && !r.Url.StartsWith("blob:", StringComparison.Ordinal))
                lock (outside) outside.Add(r.Url);
        };
        await OpenAsync();
        Assert.Empty(outside);
        using var client = Site.Client();
        using var css = await client.GetAsync("/dashboard/assets/dashboard.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        using var js = await client.GetAsync("/dashboard/assets/dashboard.js");
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        using var html = await client.GetAsync("/dashboard/assets/dashboard.html");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, html.StatusCode);
        using var missing = await client.GetAsync("/dashboard/assets/nothing.js");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        // The page carries the server's clock, which sets the default period.
        var page = await client.GetStringAsync("/dashboard");
        Assert.Contains("<meta name=\"hotline-now\" content=\"2026-03-23T", page, StringComparison.Ordinal);
    }
}
