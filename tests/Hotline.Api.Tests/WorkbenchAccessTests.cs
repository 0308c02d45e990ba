using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Api.Security;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>
/// Who may work which queue: the staff key works every one; staff signed in through App Service authentication are
/// read from X-MS-CLIENT-PRINCIPAL only when the host says authentication is on, get the queues and decisions of their
/// app roles, and are the actor recorded on what they decide. A forged principal header is ignored otherwise.
/// </summary>
[Collection("Azurite")]
public sealed class WorkbenchAccessTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> AuthOn = new() { ["WEBSITE_AUTH_ENABLED"] = "True" };

    private static HttpClient As(HotlineApp app, string name, params string[] roles)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(PlatformAuthentication.PrincipalHeader, PlatformAuthentication.Encode(name, roles));
        return client;
    }

    private static async Task<string> AwaitingDispatchAsync(HotlineApp app, string channelRef)
    {
        var matter = await app.PostMatterAsync(MatterBody(channelRef));
        Assert.Equal("awaitingDispatch", matter.GetProperty("status").GetString());
        return matter.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task A_forged_principal_is_ignored_when_the_host_has_no_authentication()
    {
        await using var app = new HotlineApp(azurite);
        var id = await AwaitingDispatchAsync(app, "wb-forged");
        using var forger = As(app, "mallory", "supervisor");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forger.GetAsync("/api/workbench/me")).StatusCode);
        using var response = await forger.PostAsJsonAsync($"/api/matters/{id}/dispatch", new { organizer = "housing" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var queues = await (await app.Staff().GetAsync("/api/workbench/queues/dispatch")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(queues.GetProperty("items").EnumerateArray(), i => i.GetProperty("item").GetProperty("matterId").GetString() == id);
    }

    [Fact]
    public async Task The_staff_key_works_every_queue()
    {
        await using var app = new HotlineApp(azurite);
        var me = await app.Staff().GetFromJsonAsync<JsonElement>("/api/workbench/me");
        Assert.Equal("dev-staff", me.GetProperty("name").GetString());
        Assert.Equal(["dispatch", "return", "extension", "reply", "termination", "verification", "knowledge"], me.GetProperty("queues").EnumerateArray().Select(q => q.GetString()!).ToArray());
        // The reasons a dispatcher may reject with are the profile's, with the citizen's guidance (Fujian 13).
        var profile = await app.Staff().GetFromJsonAsync<JsonElement>("/api/profile");
        Assert.Equal(profile.GetProperty("nonAcceptance").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToArray(),
            me.GetProperty("rejections").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToArray());
        Assert.All(me.GetProperty("rejections").EnumerateArray(), r => Assert.NotEmpty(r.GetProperty("guidance").GetProperty("zh").GetString()!));
        var counts = await app.Staff().GetFromJsonAsync<JsonElement>("/api/workbench/queues");
        Assert.Equal(7, counts.GetProperty("queues").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Staff().GetAsync("/api/workbench/queues/nonsense")).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_dispatcher_dispatches_and_is_the_actor_but_may_not_review()
    {
        await using var app = new HotlineApp(azurite, settings: AuthOn);
        var id = await AwaitingDispatchAsync(app, "wb-dispatcher");
        using var dispatcher = As(app, "li.dispatcher@hotline.example", "dispatcher");

        var me = await dispatcher.GetFromJsonAsync<JsonElement>("/api/workbench/me");
        Assert.Equal(["dispatcher"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal(["dispatch", "return"], me.GetProperty("queues").EnumerateArray().Select(q => q.GetString()!).ToArray());
        var counts = await dispatcher.GetFromJsonAsync<JsonElement>("/api/workbench/queues");
        Assert.Equal(["dispatch", "return"], counts.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("queue").GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await dispatcher.GetAsync("/api/workbench/queues/extension")).StatusCode);
        using (var refused = await dispatcher.PostAsJsonAsync($"/api/matters/{id}/extension-decision", new { approve = true }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var reviewer = As(app, "wang.reviewer@hotline.example", "reviewer");
        // Verifying an unsatisfied evaluation is a reviewer's (Fujian 22), like reviewing the reply it judges; so is
        // reviewing what organizers propose for the knowledge base before it is published.
        Assert.Equal(["extension", "reply", "verification", "knowledge"],
            (await reviewer.GetFromJsonAsync<JsonElement>("/api/workbench/me")).GetProperty("queues").EnumerateArray().Select(q => q.GetString()!).ToArray());
        using (var refused = await reviewer.PostAsJsonAsync($"/api/matters/{id}/dispatch", new { organizer = "housing" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var dispatched = await dispatcher.PostAsJsonAsync($"/api/matters/{id}/dispatch", new { organizer = "housing" });
        Assert.Equal(HttpStatusCode.OK, dispatched.StatusCode);
        var matter = await dispatched.Content.ReadFromJsonAsync<JsonElement>();
        var last = matter.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal("matterDispatched", last.GetProperty("event").GetString());
        Assert.Equal("li.dispatcher@hotline.example", last.GetProperty("actor").GetProperty("id").GetString());
        Assert.Equal("staff", last.GetProperty("actor").GetProperty("kind").GetString(), ignoreCase: true);
    }

    [Fact]
    public async Task A_signed_in_person_without_a_hotline_role_gets_nothing()
    {
        await using var app = new HotlineApp(azurite, settings: AuthOn);
        using var visitor = As(app, "visitor@hotline.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync("/api/workbench/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await visitor.GetAsync("/api/matters")).StatusCode);
        using var garbled = app.CreateClient();
        garbled.DefaultRequestHeaders.Add(PlatformAuthentication.PrincipalHeader, "not base64!");
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbled.GetAsync("/api/workbench/me")).StatusCode);
    }
}
