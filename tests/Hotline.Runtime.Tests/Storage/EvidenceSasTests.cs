using System.Net;
using System.Web;
using Azure.Storage.Blobs;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Evidence;
using Hotline.Testing;

namespace Hotline.Runtime.Tests.Storage;

/// <summary>
/// Evidence links are SAS for one blob each, short-lived, with only the rights their use needs; the store refuses
/// files of the wrong type or size before granting and again when a reply names them.
/// </summary>
[Collection("Azurite")]
public sealed class EvidenceSasTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly EvidenceLimits Small = EvidenceLimits.Default with { MaxPhotoBytes = 16, MaxVideoBytes = 32, MaxFiles = 2 };
    private readonly HttpClient _browser = new();

    public void Dispose() => _browser.Dispose();

    private async Task<EvidenceStore> StoreAsync()
    {
        var store = new EvidenceStore(new BlobServiceClient(azurite.ConnectionString), StorageNames.Container("evidence"), Small);
        await store.EnsureAsync(["http://127.0.0.1:7071"]);
        return store;
    }

    private async Task<HttpStatusCode> PutAsync(Uri url, byte[] content, string contentType = "image/jpeg")
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(content) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        put.Content.Headers.ContentType = new(contentType);
        using var response = await _browser.SendAsync(put);
        return response.StatusCode;
    }

    private static Uri OtherBlob(Uri url, string name) =>
        new UriBuilder(url) { Path = url.AbsolutePath[..(url.AbsolutePath.LastIndexOf('/') + 1)] + name }.Uri;

    [Fact]
    public async Task An_upload_link_creates_its_one_blob_for_fifteen_minutes_and_reads_nothing()
    {
        var store = await StoreAsync();
        var before = DateTimeOffset.UtcNow;
        var grant = await store.GrantUploadAsync("M1", "photo.jpg", "image/jpeg", 3);

        var query = HttpUtility.ParseQueryString(grant.UploadUrl.Query);
        Assert.Equal("b", query["sr"]);
        Assert.Equal("cw", query["sp"]);
        Assert.StartsWith("M1/", grant.Blob, StringComparison.Ordinal);
        Assert.InRange(DateTimeOffset.Parse(query["se"]!, System.Globalization.CultureInfo.InvariantCulture), before.AddMinutes(14), before.AddMinutes(16));
        Assert.InRange(grant.ExpiresAt, before.AddMinutes(14), before.AddMinutes(16));

        Assert.Equal(HttpStatusCode.Created, await PutAsync(grant.UploadUrl, [1, 2, 3]));
        Assert.Equal(HttpStatusCode.Forbidden, await PutAsync(OtherBlob(grant.UploadUrl, "other.jpg"), [1]));
        using (var read = await _browser.GetAsync(grant.UploadUrl))
        {
            Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        }

        var verified = Assert.Single(await store.VerifyAsync("M1", [grant.Blob]));
        Assert.Equal(new EvidenceRef(grant.Blob, "image/jpeg", 3), verified);
    }

    [Fact]
    public async Task A_read_link_reads_its_one_blob_and_writes_nothing()
    {
        var store = await StoreAsync();
        var first = await store.GrantUploadAsync("M2", "a.jpg", "image/jpeg", 1);
        var second = await store.GrantUploadAsync("M2", "b.jpg", "image/jpeg", 1);
        Assert.Equal(HttpStatusCode.Created, await PutAsync(first.UploadUrl, [7]));
        Assert.Equal(HttpStatusCode.Created, await PutAsync(second.UploadUrl, [8]));

        var link = await store.ReadLinkAsync(new EvidenceRef(first.Blob, "image/jpeg", 1));

        Assert.Equal("r", HttpUtility.ParseQueryString(link.Url.Query)["sp"]);
        using (var get = await _browser.GetAsync(link.Url))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(new byte[] { 7 }, await get.Content.ReadAsByteArrayAsync());
        }
        using (var other = await _browser.GetAsync(OtherBlob(link.Url, second.Blob.Split('/')[1])))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, await PutAsync(link.Url, [6]));
    }

    [Fact]
    public async Task Files_of_the_wrong_type_or_size_are_refused_when_granted_and_when_named()
    {
        var store = await StoreAsync();
        await Assert.ThrowsAsync<EvidenceRejectedException>(() => store.GrantUploadAsync("M3", "a.exe", "application/octet-stream", 1));
        await Assert.ThrowsAsync<EvidenceRejectedException>(() => store.GrantUploadAsync("M3", "a.jpg", "image/jpeg", 17));
        await Assert.ThrowsAsync<EvidenceRejectedException>(() => store.GrantUploadAsync("M3", "a.jpg", "image/jpeg", 0));

        // A browser may upload more than it announced: the reply that names the blob is refused.
        var grant = await store.GrantUploadAsync("M3", "a.jpg", "image/jpeg", 16);
        Assert.Equal(HttpStatusCode.Created, await PutAsync(grant.UploadUrl, new byte[17]));
        var tooLarge = await Assert.ThrowsAsync<EvidenceRejectedException>(() => store.VerifyAsync("M3", [grant.Blob]));
        Assert.Contains("17 bytes", tooLarge.Message, StringComparison.Ordinal);

        var retyped = await store.GrantUploadAsync("M3", "b.jpg", "image/jpeg", 4);
        Assert.Equal(HttpStatusCode.Created, await PutAsync(retyped.UploadUrl, [1, 2, 3, 4], "text/html"));
        await Assert.ThrowsAsync<EvidenceRejectedException>(() => store.VerifyAsync("M3", [retyped.Blob]));

        await Assert.ThrowsAsync<EvidenceRejectedException>(() => store.VerifyAsync("M3", ["M3/never-uploaded.jpg"]));
        await Assert.ThrowsAsync<EvidenceRejectedException>(() => store.VerifyAsync("M3", ["M4/" + grant.Blob.Split('/')[1]]));
        await Assert.ThrowsAsync<EvidenceRejectedException>(() => store.VerifyAsync("M3", ["M3/a", "M3/b", "M3/c"]));
    }
}
