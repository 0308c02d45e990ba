using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Testing;
using Xunit.Abstractions;

namespace Hotline.Api.Tests;

/// <summary>
/// The heart of the assessment's proof: a seeded month of matters driven through the real host, its figures worked out
/// by the test from what the generator did, and compared with the API's JSON and CSV, before and after a rebuild.
/// </summary>
[Collection("Azurite")]
public sealed class ReportMonthTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string From = "2026-03-01T00:00:00+08:00";
    private const string To = "2026-04-01T00:00:00+08:00";
    private const int Minimum = 4;

    private static readonly Dictionary<string, double> Weights = new() { ["response"] = 1, ["onTime"] = 2, ["satisfaction"] = 2 };

    [Fact]
    public async Task A_month_of_matters_gives_every_figure_the_test_works_out_from_what_was_done_to_them_and_a_rebuild_gives_them_again()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hotline:Assessment:MinimumForRates"] = Minimum.ToString(CultureInfo.InvariantCulture),
            ["Hotline:RateLimit:PerMinute"] = "100000",
            // Thousands of commits logged one by one would cost more time than they are worth here.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (rate, weight) in Weights) settings[$"Hotline:Assessment:Weights:{rate}"] = weight.ToString(CultureInfo.InvariantCulture);
        await using var app = new HotlineApp(azurite, now: HotlineApp.T("2026-02-28 09:00"), settings: settings);
        var horizon = HotlineApp.T("2026-04-03 12:00");
        var generator = new MonthGenerator(app, seed: 20260301, horizon);

        var stopwatch = Stopwatch.StartNew();
        await generator.RunAsync(before: 30, march: 150);
        output.WriteLine($"generated {generator.Matters.Count} matters with {generator.Commands} commands in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(horizon, app.Clock.GetUtcNow());
        AssertTheMonthIsNotTrivial(generator.Matters);

        var staff = app.Staff();
        var query = $"from={Uri.EscapeDataString(From)}&to={Uri.EscapeDataString(To)}";
        var (from, to) = (DateTimeOffset.Parse(From, CultureInfo.InvariantCulture), DateTimeOffset.Parse(To, CultureInfo.InvariantCulture));
        var (units, all) = ReportExpectations.Organizers(generator.Matters, from, to, horizon, Minimum, Weights);

        var organizersJson = await GetAsync(staff, "/api/reports/organizers?" + query);
        CompareOrganizers(JsonDocument.Parse(organizersJson).RootElement, units, all);
        CompareOrganizersCsv(await GetCsvAsync(staff, "/api/reports/organizers?" + query), units, all);
        var hotspotsJson = await GetAsync(staff, "/api/reports/hotspots?" + query);
        CompareHotspots(JsonDocument.Parse(hotspotsJson).RootElement, generator.Matters, from, to);
        CompareHotspotsCsv(await GetCsvAsync(staff, "/api/reports/hotspots?" + query), generator.Matters, from, to);

        stopwatch.Restart();
        using var rebuild = await staff.PostAsync("/api/projections/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuild.StatusCode);
        var rebuilt = JsonDocument.Parse(await rebuild.Content.ReadAsStringAsync()).RootElement;
        output.WriteLine($"rebuilt in {stopwatch.Elapsed.TotalSeconds:0.0} s: {rebuilt}");
        Assert.Equal(generator.Matters.Count, rebuilt.GetProperty("matters").GetInt32());
        Assert.Equal(organizersJson, await GetAsync(staff, "/api/reports/organizers?" + query));
        Assert.Equal(hotspotsJson, await GetAsync(staff, "/api/reports/hotspots?" + query));
    }

    /// <summary>A comparison is only as good as the cases it meets: the seed must produce every kind of event the figures count.</summary>
    private static void AssertTheMonthIsNotTrivial(List<MatterRecord> matters)
    {
        var a = matters.SelectMany(m => m.Assignments).ToArray();
        Assert.All(new (string What, int Count)[]
        {
            ("approved returns", a.Count(x => x.Return == ReturnState.Approved)),
            ("refused returns", a.Count(x => x.Return == ReturnState.Refused)),
            ("late signatures", a.Count(x => x.SignedAt > x.SignBy)),
            ("late contacts or none", a.Count(x => x.ContactBy is { } by && !(x.ContactedAt <= by))),
            ("late replies", a.Count(x => x.RepliedAt > x.DueBy)),
            ("extensions", a.Count(x => x.Extensions > 0)),
            ("terminations", a.Count(x => x.TerminatedAt is not null)),
            ("merges", a.Count(x => x.MergedAt is not null)),
            ("unsatisfied", a.Count(x => x.Evaluation == EvaluationResult.Unsatisfied)),
            ("basically satisfied", a.Count(x => x.Evaluation == EvaluationResult.BasicallySatisfied)),
            ("handled again", a.Count(x => x.HandledAgain > 0)),
            ("supervised", a.Count(x => x.Supervised)),
            ("open at the end", a.Count(x => x.CompletedAt is null && x.TerminatedAt is null && x.MergedAt is null && x.Return != ReturnState.Approved)),
            ("rejected", matters.Count(m => m.Rejected)),
            ("received on a Sunday", matters.Count(m => m.ReceivedAt.ToOffset(TimeSpan.FromHours(8)).DayOfWeek == DayOfWeek.Sunday)),
        }, c => Assert.True(c.Count > 0, $"The generated month has no {c.What}."));
    }

    private static void CompareOrganizers(JsonElement report, IReadOnlyList<ExpectedUnit> units, ExpectedUnit all)
    {
        Assert.Equal(From, report.GetProperty("from").GetString());
        Assert.Equal(To, report.GetProperty("to").GetString());
        Assert.Equal(Minimum, report.GetProperty("minimumForRates").GetInt32());
        Assert.True(report.GetProperty("weighted").GetBoolean());
        var actual = report.GetProperty("organizers").EnumerateArray().ToDictionary(o => o.GetProperty("organizer").GetString()!);
        Assert.Equal(units.Select(u => u.Organizer).Order(), actual.Keys.Order());
        Assert.Contains(units, u => u.Rates.Values.Any(r => r.Value is null)); // some unit has too few to rate something
        Assert.Contains(units, u => u.Rank is not null);
        Assert.Contains(units, u => u.Counts["explainedNotSolvable"] > 0); // the month replies "explained, not solvable now" too

        var mismatches = new List<string>();
        foreach (var expected in units.Append(all))
        {
            var row = expected.Organizer == "all" ? report.GetProperty("all") : actual[expected.Organizer];
            var before = mismatches.Count;
            foreach (var name in ReportExpectations.CountNames)
            {
                Check(mismatches, expected.Organizer, name, expected.Counts[name], row.GetProperty(name).GetInt32());
            }
            foreach (var name in ReportExpectations.RateNames)
            {
                var rate = row.GetProperty("rates").GetProperty(name);
                Check(mismatches, expected.Organizer, $"rates.{name}", expected.Rates[name], new ExpectedRate(Number(rate.GetProperty("value")), rate.GetProperty("of").GetInt32()));
            }
            Check(mismatches, expected.Organizer, "hoursToSign", expected.HoursToSign, Hours(row.GetProperty("hoursToSign")));
            Check(mismatches, expected.Organizer, "hoursToComplete", expected.HoursToComplete, Hours(row.GetProperty("hoursToComplete")));
            Check(mismatches, expected.Organizer, "score", expected.Score, row.TryGetProperty("score", out var score) ? score.GetDouble() : null);
            Check(mismatches, expected.Organizer, "rank", expected.Rank, row.TryGetProperty("rank", out var rank) ? rank.GetInt32() : null);
            if (mismatches.Count > before) mismatches.Add("  the unit's assignments, as generated:\n" + string.Join("\n", expected.Behind.Select(Describe)));
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal("澜海水务集团", actual["lanhai-water"].GetProperty("name").GetProperty("zh").GetString());
    }

    private static void CompareOrganizersCsv(string csv, IReadOnlyList<ExpectedUnit> units, ExpectedUnit all)
    {
        var rows = ReportExpectations.ParseCsv(csv);
        var header = rows[0];
        Assert.Equal(["organizer", "name.zh", "name.en"], header.Take(3));
        Assert.Equal(units.Count + 2, rows.Count); // the header, a row per unit, the row of all units last
        Assert.Equal("all", rows[^1][0]);
        var byUnit = rows.Skip(1).ToDictionary(r => r[0], r => header.Zip(r).ToDictionary(p => p.First, p => p.Second));
        var mismatches = new List<string>();
        foreach (var expected in units.Append(all))
        {
            var row = byUnit[expected.Organizer];
            foreach (var name in ReportExpectations.CountNames) Check(mismatches, expected.Organizer, "csv " + name, expected.Counts[name].ToString(CultureInfo.InvariantCulture), row[name]);
            foreach (var name in ReportExpectations.RateNames)
            {
                Check(mismatches, expected.Organizer, $"csv rates.{name}.value", ReportExpectations.Cell(expected.Rates[name].Value), row[$"rates.{name}.value"]);
                Check(mismatches, expected.Organizer, $"csv rates.{name}.of", expected.Rates[name].Of.ToString(CultureInfo.InvariantCulture), row[$"rates.{name}.of"]);
            }
            Check(mismatches, expected.Organizer, "csv hoursToComplete.p90", ReportExpectations.Cell(expected.HoursToComplete.P90), row["hoursToComplete.p90"]);
            Check(mismatches, expected.Organizer, "csv score", ReportExpectations.Cell(expected.Score), row["score"]);
            Check(mismatches, expected.Organizer, "csv rank", expected.Rank?.ToString(CultureInfo.InvariantCulture) ?? "", row["rank"]);
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal("澜海水务集团", byUnit["lanhai-water"]["name.zh"]);
    }

    private static void CompareHotspots(JsonElement report, List<MatterRecord> matters, DateTimeOffset from, DateTimeOffset to)
    {
        Assert.Equal("2026-01-29T00:00:00+08:00", report.GetProperty("previousFrom").GetString());
        Assert.Equal(From, report.GetProperty("previousTo").GetString());

        static List<ExpectedChange> Changes(JsonElement list, string key) =>
            [.. list.EnumerateArray().Select(c => new ExpectedChange(c.GetProperty(key).GetString()!, c.GetProperty("count").GetInt32(), c.GetProperty("previous").GetInt32(),
                Number(c.GetProperty("change")))).OrderBy(c => c.Key, StringComparer.Ordinal)];
        Assert.Equal(ReportExpectations.Changes(matters, from, to, m => m.Category), Changes(report.GetProperty("byCategory"), "category"));
        Assert.Equal(ReportExpectations.Changes(matters, from, to, m => m.District), Changes(report.GetProperty("byDistrict"), "district"));

        var weeks = report.GetProperty("byWeek").EnumerateArray()
            .ToDictionary(w => (DateOnly.Parse(w.GetProperty("weekStart").GetString()!, CultureInfo.InvariantCulture), w.GetProperty("category").GetString()!), w => w.GetProperty("count").GetInt32());
        Assert.Equal(ReportExpectations.Weeks(matters, from, to).OrderBy(w => w.Key), weeks.OrderBy(w => w.Key));
        Assert.Contains(weeks.Keys, k => k.Item1 == new DateOnly(2026, 2, 23)); // Sunday 1 March belongs to the week of Monday 23 February

        var expected = ReportExpectations.Repeated(matters, from, to).OrderBy(r => r.Matters[0], StringComparer.Ordinal).ToArray();
        var actual = report.GetProperty("repeated").EnumerateArray().Select(r => new ExpectedRepeated(r.GetProperty("category").GetString()!, r.GetProperty("district").GetString()!,
            r.GetProperty("address").GetString()!, [.. r.GetProperty("matters").EnumerateArray().Select(m => m.GetString()!)])).OrderBy(r => r.Matters[0], StringComparer.Ordinal).ToArray();
        Assert.True(expected.Length >= 3, $"The month should repeat matters at several places, not {expected.Length}.");
        Assert.Equal(expected.Length, actual.Length);
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal((e.Category, e.District, e.Address), (a.Category, a.District, a.Address));
            Assert.Equal(e.Matters, a.Matters);
        }
        Assert.All(report.GetProperty("repeated").EnumerateArray(), r => Assert.Equal(r.GetProperty("matters").GetArrayLength(), r.GetProperty("count").GetInt32()));
    }

    private static void CompareHotspotsCsv(string csv, List<MatterRecord> matters, DateTimeOffset from, DateTimeOffset to)
    {
        var rows = ReportExpectations.ParseCsv(csv);
        Assert.Equal(["category", "count", "previous", "change"], rows[0]);
        var expected = ReportExpectations.Changes(matters, from, to, m => m.Category)
            .Select(c => new[] { c.Key, c.Count.ToString(CultureInfo.InvariantCulture), c.Previous.ToString(CultureInfo.InvariantCulture), ReportExpectations.Cell(c.Change) });
        Assert.Equal(expected.OrderBy(r => r[0], StringComparer.Ordinal), rows.Skip(1).OrderBy(r => r[0], StringComparer.Ordinal));
    }

    private static async Task<string> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} -> {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>The CSV body after checking that it is what a spreadsheet needs: text/csv, UTF-8 with a byte order mark.</summary>
    private static async Task<string> GetCsvAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        return new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3);
    }

    private static void Check<T>(List<string> mismatches, string unit, string field, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual)) mismatches.Add($"{unit} {field}: expected {expected}, got {actual}");
    }

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    private static (double?, double?) Hours(JsonElement e) => (Number(e.GetProperty("median")), Number(e.GetProperty("p90")));

    private static string Describe(AssignmentRecord a) =>
        $"    {a.MatterId} received {a.ReceivedAt:MM-dd HH:mm} signBy {a.SignBy:MM-dd HH:mm} signed {a.SignedAt:MM-dd HH:mm} return {a.Return}@{a.ReturnAppliedAt:MM-dd HH:mm} " +
        $"contactBy {a.ContactBy:MM-dd HH:mm} contacted {a.ContactedAt:MM-dd HH:mm} due {a.DueBy:MM-dd HH:mm} replied {a.RepliedAt:MM-dd HH:mm} completed {a.CompletedAt:MM-dd HH:mm} " +
        $"review {a.UnderReviewSince:MM-dd HH:mm} ext {a.Extensions} term {a.TerminatedAt:MM-dd HH:mm} merged {a.MergedAt:MM-dd HH:mm} eval {a.Evaluation} again {a.HandledAgain} sup {a.Supervised}";
}
