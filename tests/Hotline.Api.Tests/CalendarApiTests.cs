using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Calendars;
using Hotline.Runtime.Sms;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>
/// Holiday schedules installed over the API on a host started in late December without next year's data. The 2027
/// schedule here is test data (two more rest days than ordinary weeks early in January), not the State Council's.
/// </summary>
[Collection("Azurite")]
public sealed class CalendarApiTests(AzuriteFixture azurite)
{
    private const string Schedule2027 =
        "# Test schedule, not the State Council's.\ndate,kind,holiday\n2027-01-01,off,New Year's Day\n2027-01-02,off,New Year's Day\n" +
        "2027-01-03,off,New Year's Day\n2027-01-04,off,Test rest day\n";

    private static readonly DateTimeOffset LateDecember = T("2026-12-28 10:00");

    /// <summary>The lifecycle as it would be had the same text shipped in the build.</summary>
    private static readonly MatterLifecycle AsShipped = MatterLifecycle.For(ProfileCatalog.Get("fujian"),
        HolidayCalendar.Parse([.. HolidayCalendar.Embedded.CoveredYears.Select(y => HolidayCalendar.Embedded.ScheduleOf(y)!.ToCsv()), Schedule2027]));

    [Fact]
    public async Task Staff_install_next_year_and_every_open_provisional_matter_gets_the_deadlines_the_shipped_file_would_give()
    {
        await using var app = new HotlineApp(azurite, now: LateDecember);
        var health = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal(("degraded", "[2027]"), (health.GetProperty("status").GetString(), health.GetProperty("calendar").GetProperty("missingYears").GetRawText()));

        // A complaint on a certain route is dispatched at intake; its 10 working days run into 2027.
        var matter = await app.PostMatterAsync(MatterBody("cal-1", type: "complaint", category: "water-pressure"));
        var id = matter.GetProperty("id").GetString()!;
        Assert.Equal("awaitingSignOff", matter.GetProperty("status").GetString());
        Assert.Equal("[2027]", matter.GetProperty("provisionalDeadlineYears").GetRawText());
        Assert.Equal("2027-01-11T17:30:00+08:00", matter.GetProperty("deadlines").GetProperty("dueBy").GetString());
        Assert.Single(await app.Get<SmsOutbox>().ListAsync(id));

        using var put = await PutCsv(app.Staff(), "/api/calendars/2027", Schedule2027);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var installed = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, installed.GetProperty("recomputation").GetProperty("recomputed").GetInt32());
        Assert.Equal("installed", installed.GetProperty("year").GetProperty("source").GetString());

        // The matter's deadlines are now those the shipped file would have given at dispatch: later by the two rest days.
        var after = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}");
        var dispatchedAt = LateDecember;
        Assert.Equal(AsShipped.Calendar.AddWorkingDays(dispatchedAt, 10), after.GetProperty("deadlines").GetProperty("dueBy").GetDateTimeOffset());
        Assert.Equal("2027-01-13T17:30:00+08:00", after.GetProperty("deadlines").GetProperty("dueBy").GetString());
        Assert.Equal("[]", after.GetProperty("provisionalDeadlineYears").GetRawText());
        Assert.Contains(after.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("event").GetString() == "deadlinesRecomputed");
        // The organizer is told of the later due date, once.
        var sms = await app.Get<SmsOutbox>().ListAsync(id);
        Assert.Equal(2, sms.Count);
        Assert.Contains(sms, m => m.NoticeKind == "DeadlinesLater" && m.Text.Contains("01-13 17:30", StringComparison.Ordinal));

        // A matter taken now is computed with the installed year, exactly as with the shipped file.
        var fresh = await app.PostMatterAsync(MatterBody("cal-2", type: "complaint", category: "water-pressure"));
        Assert.Equal("[]", fresh.GetProperty("provisionalDeadlineYears").GetRawText());
        Assert.Equal("2027-01-13T17:30:00+08:00", fresh.GetProperty("deadlines").GetProperty("dueBy").GetString());

        health = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal(("healthy", "[]"), (health.GetProperty("status").GetString(), health.GetProperty("calendar").GetProperty("missingYears").GetRawText()));

        var list = await app.Staff().GetFromJsonAsync<JsonElement>("/api/calendars");
        var year = list.GetProperty("years").EnumerateArray().Single(y => y.GetProperty("year").GetInt32() == 2027);
        Assert.Equal(("installed", "dev-staff", 4), (year.GetProperty("source").GetString(), year.GetProperty("installedBy").GetString(), year.GetProperty("rows").GetInt32()));
        Assert.Equal("shipped", list.GetProperty("years")[0].GetProperty("source").GetString());
        using var csv = await app.Staff().GetAsync("/api/calendars/2027");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Schedule2027, await csv.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("date,kind,holiday\n2027-01-01,off,New Year's Day\n2027-01-06,work,Wednesday\n", 3, "Wednesday")]
    [InlineData("date,kind,holiday\n2027-02-30,off,Spring Festival\n", 2, "not a date")]
    [InlineData("# c\ndate,kind,holiday\n2028-01-01,off,New Year's Day\n", 3, "not in 2027")]
    [InlineData("date,kind,holiday\n2027-01-01,holiday,New Year's Day\n", 2, "neither")]
    [InlineData("date,kind,holiday\n2027-01-01,off,New Year's Day\n2027-01-01,off,New Year's Day\n", 3, "twice")]
    [InlineData("date,kind,holiday\n2027-01-01,off,\n", 2, "holiday name is empty")]
    public async Task A_malformed_schedule_is_refused_naming_its_line_and_nothing_changes(string text, int line, string reason)
    {
        await using var app = new HotlineApp(azurite, now: LateDecember);
        var matter = await app.PostMatterAsync(MatterBody("cal-bad", type: "complaint", category: "water-pressure"));

        using var put = await PutCsv(app.Staff(), "/api/calendars/2027", text);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(line, problem.GetProperty("line").GetInt32());
        Assert.Contains(reason, problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty($"line {line}", out _));
        using var get = await app.Staff().GetAsync("/api/calendars/2027");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        var unchanged = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{matter.GetProperty("id").GetString()}");
        Assert.Equal(matter.GetProperty("version").GetInt32(), unchanged.GetProperty("version").GetInt32());
        Assert.Equal("[2027]", unchanged.GetProperty("provisionalDeadlineYears").GetRawText());
        Assert.Equal([2027], HealthEndpoints.MissingYears(app.Get<CalendarStore>().Current.Holidays, LateDecember));
    }

    [Fact]
    public async Task A_shipped_year_is_overridden_only_deliberately_and_if_match_is_honoured()
    {
        await using var app = new HotlineApp(azurite, now: LateDecember);
        var shipped2026 = HolidayCalendar.Embedded.ScheduleOf(2026)!.ToCsv();

        using var noKey = await PutCsv(app.Channel(), "/api/calendars/2026", shipped2026);
        Assert.Equal(HttpStatusCode.Forbidden, noKey.StatusCode);
        using var json = await app.Staff().PutAsJsonAsync("/api/calendars/2027", new { csv = Schedule2027 });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);

        using var get = await app.Staff().GetAsync("/api/calendars/2026");
        Assert.Equal("\"shipped\"", get.Headers.ETag!.Tag);
        Assert.Equal(HolidayCalendar.Embedded.ScheduleOf(2026), HolidaySchedule.Read(await get.Content.ReadAsStringAsync(), 2026).Schedule);

        using var undeliberate = await PutCsv(app.Staff(), "/api/calendars/2026", shipped2026);
        Assert.Equal(HttpStatusCode.PreconditionRequired, undeliberate.StatusCode);
        using var deliberate = await PutCsv(app.Staff(), "/api/calendars/2026", shipped2026, "\"shipped\"");
        Assert.Equal(HttpStatusCode.OK, deliberate.StatusCode);
        var view = (await deliberate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("year");
        Assert.True(view.GetProperty("overridesShipped").GetBoolean());
        var version = deliberate.Headers.ETag!.Tag;

        using var stale = await PutCsv(app.Staff(), "/api/calendars/2026", shipped2026, "\"shipped\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        using var current = await PutCsv(app.Staff(), "/api/calendars/2026", shipped2026, version);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        using var nothingToMatch = await PutCsv(app.Staff(), "/api/calendars/2027", Schedule2027, version);
        Assert.Equal(HttpStatusCode.PreconditionFailed, nothingToMatch.StatusCode);
    }

    [Fact]
    public async Task A_second_host_instance_sees_the_installed_year_without_a_restart()
    {
        await using var first = new HotlineApp(azurite, now: LateDecember);
        await using var second = new HotlineApp(azurite, now: LateDecember, prefix: first.Prefix,
            settings: new Dictionary<string, string?> { ["Hotline:Runtime:CalendarRefreshInterval"] = "00:00:00.200" });
        var health = await second.CreateClient().GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("degraded", health.GetProperty("status").GetString());

        using var put = await PutCsv(first.Staff(), "/api/calendars/2027", Schedule2027);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        // The second instance reads nothing on request: its refresh loop must bring the year in.
        var store = second.Get<CalendarStore>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!store.Current.Holidays.Covers(2027))
        {
            await Task.Delay(50, timeout.Token);
        }
        health = await second.CreateClient().GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var matter = await second.PostMatterAsync(MatterBody("cal-second", type: "complaint", category: "water-pressure"));
        Assert.Equal("[]", matter.GetProperty("provisionalDeadlineYears").GetRawText());
        Assert.Equal("2027-01-13T17:30:00+08:00", matter.GetProperty("deadlines").GetProperty("dueBy").GetString());
    }

    private static Task<HttpResponseMessage> PutCsv(HttpClient client, string path, string csv, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        if (ifMatch is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        return client.SendAsync(request);
    }
}
