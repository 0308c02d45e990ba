using System.Net;
using Hotline.Runtime.Store;
using Hotline.Testing;

namespace Hotline.Api.Tests;

/// <summary>A request that fails unexpectedly answers a bare 500 problem, in Development too (issue 12).</summary>
[Collection("Azurite")]
public sealed class UnhandledErrorTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_storage_failure_answers_a_500_problem_with_a_trace_id_and_neither_exception_text_nor_the_callers_key()
    {
        await using var app = new HotlineApp(azurite);
        using var staff = app.Staff();
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync(new Uri("/api/matters", UriKind.Relative))).StatusCode);

        // The staff index disappears under the running host: storage answers TableNotFound, which nothing expects.
        await app.Get<HotlineTables>().MatterIndex.DeleteAsync();
        var answer = await staff.GetAsync(new Uri("/api/matters", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.Contains("\"traceId\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(HotlineApp.StaffKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain("x-functions-key", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("RequestFailedException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("TableNotFound", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"exception\"", body, StringComparison.Ordinal);
    }
}
