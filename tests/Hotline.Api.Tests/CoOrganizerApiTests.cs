using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Sms;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>
/// Co-organizers through the API (Fujian 16, 30(4); Weifang 22): each gets its own link by SMS, gives its part through it,
/// the lead sees the parts, a missing part goes overdue, and the organizer report assesses the co-organizers; and the
/// reply "explained, not solvable now" (Fujian 20(7); Weifang 20(3)).
/// </summary>
[Collection("Azurite")]
public sealed class CoOrganizerApiTests(AzuriteFixture azurite)
{
    private const string Lead = "lanhai-water";
    private const string Urban = "urban-management";
    private const string Housing = "housing";

    /// <summary>A matter dispatched by staff to the water group with two co-organizers; the tokens of the three units' links.</summary>
    private static async Task<(string Id, string Lead, string Urban, string Housing)> DispatchedAsync(HotlineApp app, string channelRef)
    {
        var id = (await app.PostMatterAsync(MatterBody(channelRef, type: "complaint"))).GetProperty("id").GetString()!;
        await app.StaffPostAsync($"/api/matters/{id}/dispatch", new { organizer = Lead, coOrganizers = new[] { Urban, Housing } });
        var sms = await app.Get<SmsOutbox>().ListAsync(id);
        var directory = app.Get<DirectoryStore>().Directory;
        string Token(string unit, string kind)
        {
            var text = Assert.Single(sms, s => s.To == directory.Find(unit)!.Handler.Phone && s.NoticeKind == kind).Text;
            return text[(text.IndexOf("/o/", StringComparison.Ordinal) + 3)..];
        }
        return (id, Token(Lead, "Assignment"), Token(Urban, "CoOrganizerAssignment"), Token(Housing, "CoOrganizerAssignment"));
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<(HttpStatusCode Status, string? Code)> RefusedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body.TryGetProperty("code", out var code) ? code.GetString() : null);
    }

    [Fact]
    public async Task Each_co_organizer_gets_its_own_link_and_gives_its_part_which_the_lead_sees_Fujian_art_16_Weifang_art_22()
    {
        await using var app = new HotlineApp(azurite);
        var (id, lead, urban, _) = await DispatchedAsync(app, "co-1");
        var web = app.CreateClient();

        var view = await web.GetFromJsonAsync<JsonElement>($"/api/o/{urban}");
        Assert.Equal("coOrganizer", view.GetProperty("role").GetString());
        Assert.Equal(Lead, view.GetProperty("organizer").GetString());
        Assert.Equal("张*", view.GetProperty("citizen").GetProperty("name").GetString()); // the co-organizer sees the citizen masked
        Assert.DoesNotContain(await app.Get<Hotline.Runtime.DisclosureAudit>().ForMatterAsync(id), d => d.Staff == "organizer:" + Urban);
        var actions = view.GetProperty("actions");
        Assert.True(actions.GetProperty("part").GetBoolean());
        Assert.False(actions.GetProperty("sign").GetBoolean() || actions.GetProperty("reply").GetBoolean());
        var own = Assert.Single(view.GetProperty("parts").EnumerateArray());
        Assert.Equal((Urban, "2026-03-04T17:30:00+08:00"), (own.GetProperty("organizer").GetString(), own.GetProperty("partBy").GetString()));

        // The co-organizer cannot act as the lead, nor the lead give a part.
        Assert.Equal((HttpStatusCode.Forbidden, "organizer.not-assigned"), await RefusedAsync(await web.PostAsync($"/api/o/{urban}/sign", null)));
        Assert.Equal((HttpStatusCode.Forbidden, "coOrganizer.not-assigned"),
            await RefusedAsync(await web.PostAsJsonAsync($"/api/o/{lead}/part", new { text = "牵头单位" })));
        using (var blank = await web.PostAsJsonAsync($"/api/o/{urban}/part", new { text = " " }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            Assert.True((await blank.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("text", out _));
        }

        view = await OkAsync(await web.PostAsJsonAsync($"/api/o/{urban}/part", new { text = "城管已清理占道经营" }));
        own = Assert.Single(view.GetProperty("parts").EnumerateArray());
        Assert.Equal("城管已清理占道经营", own.GetProperty("text").GetString());
        Assert.False(view.GetProperty("actions").GetProperty("part").GetBoolean());
        Assert.Equal((HttpStatusCode.Conflict, "coOrganizer.part-submitted"),
            await RefusedAsync(await web.PostAsJsonAsync($"/api/o/{urban}/part", new { text = "再交一次" })));

        var leadView = await web.GetFromJsonAsync<JsonElement>($"/api/o/{lead}");
        Assert.Equal("lead", leadView.GetProperty("role").GetString());
        var parts = leadView.GetProperty("parts").EnumerateArray().ToDictionary(p => p.GetProperty("organizer").GetString()!);
        Assert.Equal("城管已清理占道经营", parts[Urban].GetProperty("text").GetString());
        Assert.False(parts[Housing].TryGetProperty("submittedAt", out _));
    }

    [Fact]
    public async Task A_missing_part_goes_overdue_its_leader_is_told_and_the_report_counts_it_as_passive_coping_Fujian_art_30_4()
    {
        await using var app = new HotlineApp(azurite);
        var (id, lead, urban, housing) = await DispatchedAsync(app, "co-2");
        var web = app.CreateClient();
        await OkAsync(await web.PostAsync($"/api/o/{lead}/sign", null));
        await OkAsync(await web.PostAsJsonAsync($"/api/o/{urban}/part", new { text = "城管已配合" }));

        using (var advance = await web.PostAsJsonAsync("/api/dev/clock/advance", new { by = "P3D" })) Assert.True(advance.IsSuccessStatusCode);

        var leadView = await web.GetFromJsonAsync<JsonElement>($"/api/o/{lead}");
        var parts = leadView.GetProperty("parts").EnumerateArray().ToDictionary(p => p.GetProperty("organizer").GetString()!);
        Assert.True(parts[Housing].GetProperty("overdue").GetBoolean());
        Assert.False(parts[Urban].GetProperty("overdue").GetBoolean());
        var leader = app.Get<DirectoryStore>().Directory.Find(Housing)!.Leader.Phone;
        Assert.Single(await app.Get<SmsOutbox>().ListAsync(id), s => s.To == leader && s.NoticeKind == "CoOrganizerPartOverdue");
        var staffView = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}");
        Assert.Equal([Housing], staffView.GetProperty("coOrganizerParts").EnumerateArray()
            .Where(p => p.GetProperty("overdue").GetBoolean()).Select(p => p.GetProperty("organizer").GetString()));

        // Late, the part is still taken.
        var late = await OkAsync(await web.PostAsJsonAsync($"/api/o/{housing}/part", new { text = "住建迟交" }));
        Assert.True(Assert.Single(late.GetProperty("parts").EnumerateArray()).GetProperty("late").GetBoolean());

        var report = await app.Staff().GetFromJsonAsync<JsonElement>("/api/reports/organizers?from=2026-03-01&to=2026-03-31");
        var rows = report.GetProperty("organizers").EnumerateArray().ToDictionary(r => r.GetProperty("organizer").GetString()!);
        Assert.Equal((1, 1, 0, 0), Co(rows[Urban]));
        Assert.Equal((1, 0, 1, 0), Co(rows[Housing]));
        Assert.Equal((0, 0, 0, 0), Co(rows[Lead]));
        Assert.Equal((2, 1, 1, 0), Co(report.GetProperty("all")));

        static (int, int, int, int) Co(JsonElement row)
        {
            var c = row.GetProperty("coOrganizing");
            return (c.GetProperty("parts").GetInt32(), c.GetProperty("onTime").GetInt32(), c.GetProperty("late").GetInt32(), c.GetProperty("missing").GetInt32());
        }
    }

    [Fact]
    public async Task A_part_never_given_is_missing_in_the_report_and_its_csv_Fujian_art_30_4()
    {
        await using var app = new HotlineApp(azurite);
        await DispatchedAsync(app, "co-3");
        using (var advance = await app.CreateClient().PostAsJsonAsync("/api/dev/clock/advance", new { by = "P3D" })) Assert.True(advance.IsSuccessStatusCode);

        var staff = app.Staff();
        staff.DefaultRequestHeaders.Accept.Add(new("text/csv"));
        var csv = await staff.GetStringAsync("/api/reports/organizers?from=2026-03-01&to=2026-03-31");
        var rows = ReportExpectations.ParseCsv(csv.TrimStart('\uFEFF'));
        var header = rows[0];
        var byUnit = rows.Skip(1).ToDictionary(r => r[0], r => header.Zip(r).ToDictionary(p => p.First, p => p.Second));
        Assert.Equal(("1", "0", "0", "1"), (byUnit[Housing]["coOrganizing.parts"], byUnit[Housing]["coOrganizing.onTime"], byUnit[Housing]["coOrganizing.late"],
            byUnit[Housing]["coOrganizing.missing"]));
        Assert.Equal("2", byUnit["all"]["coOrganizing.missing"]);
        Assert.Equal("0", byUnit[Housing]["received"]); // only a co-organizer in the period
    }

    [Fact]
    public async Task Explained_not_solvable_needs_a_recorded_contact_and_is_counted_on_its_own_not_as_solved_Weifang_art_20_3()
    {
        // Weifang asks no photo with a reply, so the explanation goes through with text alone.
        await using var app = new HotlineApp(azurite, profile: "weifang");
        var (id, lead, _, _) = await DispatchedAsync(app, "co-4");
        var web = app.CreateClient();
        var view = await OkAsync(await web.PostAsync($"/api/o/{lead}/sign", null));
        Assert.False(view.GetProperty("actions").GetProperty("replyExplained").GetBoolean());

        using (var wrong = await web.PostAsJsonAsync($"/api/o/{lead}/reply", new { text = "暂无法解决", kind = "someday" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("kind", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal((HttpStatusCode.Conflict, "reply.contact-required"),
            await RefusedAsync(await web.PostAsJsonAsync($"/api/o/{lead}/reply", new { text = "暂无法解决", kind = "explainedNotSolvable" })));

        view = await OkAsync(await web.PostAsJsonAsync($"/api/o/{lead}/contact", new { note = "已电话向市民解释暂无法解决的原因" }));
        Assert.True(view.GetProperty("actions").GetProperty("replyExplained").GetBoolean());
        view = await OkAsync(await web.PostAsJsonAsync($"/api/o/{lead}/reply", new { text = "受规划限制暂无法解决，已解释并告知后续安排", kind = "explainedNotSolvable" }));
        Assert.Equal("explainedNotSolvable", view.GetProperty("replies")[0].GetProperty("kind").GetString());
        await app.StaffPostAsync($"/api/matters/{id}/reply-review", new { accept = true });

        var matter = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}");
        Assert.Equal("explainedNotSolvable", matter.GetProperty("replies")[0].GetProperty("kind").GetString());
        var report = await app.Staff().GetFromJsonAsync<JsonElement>("/api/reports/organizers?from=2026-03-01&to=2026-03-31");
        var row = report.GetProperty("organizers").EnumerateArray().Single(r => r.GetProperty("organizer").GetString() == Lead);
        Assert.Equal((1, 0, 1), (row.GetProperty("completed").GetInt32(), row.GetProperty("solved").GetInt32(), row.GetProperty("explainedNotSolvable").GetInt32()));
    }
}
