using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime.Knowledge;
using Hotline.Runtime.Organizers;
using Azure.Data.Tables;
using Hotline.Testing;

namespace Hotline.Runtime.Tests;

[Collection("Azurite")]
public sealed class KnowledgeBaseTests(AzuriteFixture azurite)
{
    private static readonly OrganizerDirectory Units = new([
        new OrganizerUnit("water", new Text("水务集团", "Water"), new Contact("王", "13900000001"), new Contact("李", "13900000002"), [], ["water-supply"]),
        new OrganizerUnit("power", new Text("供电公司", "Power"), new Contact("张", "13900000003"), new Contact("刘", "13900000004"), [], ["power-outage"]),
    ]);

    private static readonly Actor Staff = Actor.Staff("dispatcher-1");
    private static readonly Actor Water = Actor.Organizer("water");
    private static readonly Actor Power = Actor.Organizer("power");

    private readonly AdjustableClock _clock = AdjustableClock.Frozen(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));

    private async Task<TableClient> TableAsync()
    {
        var table = new TableClient(azurite.ConnectionString, StorageNames.Table("kb"));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private KnowledgeBase Base(TableClient table, KnowledgeSeed? seed = null) => new(table, () => Units, _clock, seed);

    private static KnowledgeDraft Draft(string title = "计划停水通知查询", string? owner = "water", string answer = "计划停水提前24小时在公众号公告。") =>
        new(title, ["明天停水吗？"], ["停水"], answer, null, "water-supply", owner);

    private static string Json(KnowledgeArticle? article) => System.Text.Json.JsonSerializer.Serialize(article, HotlineJson.Options);

    private static async Task<KnowledgeArticle> Created(KnowledgeBase kb, KnowledgeDraft draft, Actor editor)
    {
        var outcome = await kb.CreateAsync(draft, editor);
        Assert.True(outcome.Succeeded, outcome.Message);
        return outcome.Article!;
    }

    [Fact]
    public async Task A_created_article_is_stored_at_version_1_with_its_editor_and_found_by_search()
    {
        using var kb = Base(await TableAsync());
        var article = await Created(kb, Draft(), Staff);
        Assert.Equal(1, article.Version);
        Assert.Equal("staff:dispatcher-1", article.UpdatedBy);
        Assert.Equal(Json(article), Json(await kb.GetAsync(article.Id)));
        Assert.Equal(article.Id, (await kb.SearchAsync("停水")).Items[0].Id);
    }

    [Fact]
    public async Task A_stale_version_changes_nothing_and_names_the_version_that_won()
    {
        using var kb = Base(await TableAsync());
        var article = await Created(kb, Draft(), Staff);
        var first = await kb.UpdateAsync(article.Id, 1, Draft(title: "计划停水通知"), Staff);
        Assert.True(first.Succeeded);
        Assert.Equal(2, first.Article!.Version);

        var late = await kb.UpdateAsync(article.Id, 1, Draft(title: "停水公告"), Water);
        Assert.Equal(KnowledgeFailure.StaleVersion, late.Failure);
        Assert.Equal(2, late.Article!.Version);
        Assert.Equal("计划停水通知", (await kb.GetAsync(article.Id))!.Title);
    }

    [Fact]
    public async Task An_edit_on_one_instance_shows_in_the_search_of_another_at_once()
    {
        var table = await TableAsync();
        using var one = Base(table);
        using var two = Base(table);
        var article = await Created(one, Draft(), Staff);
        Assert.Single((await two.SearchAsync("停水")).Items);

        var rewritten = new KnowledgeDraft("二次供水设施维修", ["楼上水压低找谁？"], [], "二次供水由物业负责维修。", null, "water-supply", "water");
        Assert.True((await one.UpdateAsync(article.Id, 1, rewritten, Staff)).Succeeded);
        Assert.Empty((await two.SearchAsync("停水通知")).Items);
        Assert.Equal(article.Id, (await two.SearchAsync("二次供水")).Items[0].Id);
    }

    [Fact]
    public async Task An_organizer_unit_keeps_its_own_articles_and_only_those()
    {
        using var kb = Base(await TableAsync());
        var own = await Created(kb, Draft(owner: null), Water);
        Assert.Equal("water", own.Owner);
        Assert.Equal("organizer:water", own.CreatedBy);

        var edited = await kb.UpdateAsync(own.Id, 1, Draft(title: "停水通知查询"), Water);
        Assert.True(edited.Succeeded, edited.Message);
        Assert.Equal("organizer:water", edited.Article!.UpdatedBy);

        Assert.Equal(KnowledgeFailure.NotAllowed, (await kb.UpdateAsync(own.Id, 2, Draft(owner: "power"), Power)).Failure);
        Assert.Equal(KnowledgeFailure.NotAllowed, (await kb.UpdateAsync(own.Id, 2, Draft(owner: "power"), Water)).Failure);
        Assert.Equal(KnowledgeFailure.NotAllowed, (await kb.RetireAsync(own.Id, null, Power)).Failure);
        Assert.Equal(KnowledgeFailure.NotAllowed, (await kb.CreateAsync(Draft(owner: "power"), Water)).Failure);
        var unowned = await Created(kb, Draft(owner: null), Staff);
        Assert.Equal(KnowledgeFailure.NotAllowed, (await kb.UpdateAsync(unowned.Id, 1, Draft(owner: "water"), Water)).Failure);
        Assert.Equal(KnowledgeFailure.NotAllowed, (await kb.CreateAsync(Draft(), Actor.ChannelSystem("call-centre"))).Failure);

        // Staff may hand an article to another unit.
        Assert.Equal("power", (await kb.UpdateAsync(own.Id, 2, Draft(owner: "power"), Staff)).Article!.Owner);
        Assert.Equal(3, (await kb.GetAsync(own.Id))!.Version);
    }

    [Fact]
    public async Task A_retired_article_leaves_search_stays_readable_and_cannot_be_edited()
    {
        using var kb = Base(await TableAsync());
        var article = await Created(kb, Draft(), Water);
        var retired = await kb.RetireAsync(article.Id, 1, Water);
        Assert.True(retired.Succeeded);
        Assert.Empty((await kb.SearchAsync("停水")).Items);

        var stored = (await kb.GetAsync(article.Id))!;
        Assert.True(stored.Retired);
        Assert.Equal("organizer:water", stored.RetiredBy);
        Assert.Equal(2, stored.Version);
        Assert.Equal(Json(stored), Json((await kb.RetireAsync(article.Id, null, Staff)).Article));
        Assert.Equal(KnowledgeFailure.Retired, (await kb.UpdateAsync(article.Id, 2, Draft(), Staff)).Failure);
        Assert.Single((await kb.ListAsync(includeRetired: true)).Items);
        Assert.Empty((await kb.ListAsync()).Items);
    }

    [Fact]
    public async Task Invalid_content_is_refused_field_by_field_and_writes_nothing()
    {
        var table = await TableAsync();
        using var kb = Base(table);
        var outcome = await kb.CreateAsync(new KnowledgeDraft(" ", ["好问题", " "], [], "", null, "Water Supply", "sewage"), Staff);
        Assert.Equal(KnowledgeFailure.Invalid, outcome.Failure);
        Assert.Equal(["answer", "category", "owner", "questions[1]", "title"], outcome.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Empty(await table.QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task Seeding_fills_an_empty_base_once_even_from_two_instances_and_never_overwrites_edits()
    {
        var seed = KnowledgeSeed.Parse("""
            { "aliases": [["停水", "没水"]],
              "articles": [
                { "id": "kb-water", "title": "计划停水通知查询", "questions": ["明天停水吗？"], "answer": "提前24小时公告。", "category": "water-supply", "owner": "water" },
                { "id": "kb-power", "title": "计划停电信息查询", "answer": "提前7天公告。", "category": "power-outage", "owner": "power" } ] }
            """);
        var table = await TableAsync();
        using var one = Base(table, seed);
        using var two = Base(table, seed);
        var counts = await Task.WhenAll(one.SeedIfEmptyAsync(), two.SeedIfEmptyAsync());
        Assert.Equal(2, counts.Sum());
        Assert.Equal("system:seed", (await one.GetAsync("kb-water"))!.CreatedBy);
        Assert.Equal("kb-water", (await one.SearchAsync("家里没水")).Items[0].Id);

        Assert.True((await one.UpdateAsync("kb-water", 1, Draft(title: "停水公告"), Staff)).Succeeded);
        using var three = Base(table, seed);
        Assert.Equal(0, await three.SeedIfEmptyAsync());
        Assert.Equal("停水公告", (await one.GetAsync("kb-water"))!.Title);
    }

    [Fact]
    public async Task A_seed_breaking_the_rules_stops_the_start_and_writes_nothing()
    {
        var seed = KnowledgeSeed.Parse("""
            { "articles": [
                { "id": "kb-ok", "title": "计划停水通知查询", "answer": "提前24小时公告。", "category": "water-supply" },
                { "id": "kb-bad", "title": "停电", "answer": "提前7天公告。", "category": "power-outage", "owner": "nobody" } ] }
            """);
        var table = await TableAsync();
        using var kb = Base(table, seed);
        var ex = await Assert.ThrowsAsync<FormatException>(() => kb.SeedIfEmptyAsync());
        Assert.Contains("kb-bad", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await table.QueryAsync<TableEntity>().ToListAsync());
        Assert.Throws<FormatException>(() => KnowledgeSeed.Parse("""{ "articles": [ { "id": "Bad Id", "title": "t", "answer": "a", "category": "c" } ] }"""));
    }
}
