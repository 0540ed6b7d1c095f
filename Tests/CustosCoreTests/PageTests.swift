import CustosCore
import Testing

@Suite("Pagination")
struct PageTests {
    @Test("when no page is given then page 1 of 20 is asked for")
    func defaults() {
        let request = PageRequest()
        #expect(request.page == 1 && request.pageSize == 20 && request.offset == 0)
    }

    @Test(
        "when page or page size is out of range then it is clamped to 1...100",
        arguments: [(0, 0, 1, 1), (-5, -1, 1, 1), (2, 101, 2, 100), (3, 1_000_000, 3, 100), (4, 100, 4, 100), (1, 1, 1, 1)]
    )
    func clamps(page: Int, size: Int, expectedPage: Int, expectedSize: Int) {
        let request = PageRequest(page: page, pageSize: size)
        #expect(request.page == expectedPage)
        #expect(request.pageSize == expectedSize)
    }

    @Test("when the page is Int.max then it is clamped and the offset is computed without overflow")
    func hugePage() {
        let request = PageRequest(page: Int.max, pageSize: 100)
        #expect(request.page == PageRequest.maximumPage)
        #expect(request.offset == (PageRequest.maximumPage - 1) * 100)
    }

    @Test("when a later page is asked for then the offset skips the earlier pages")
    func offset() {
        #expect(PageRequest(page: 3, pageSize: 20).offset == 40)
        #expect(PageRequest(page: 2, pageSize: 7).offset == 7)
    }

    @Test("when there are no items then there are no pages and no next or previous")
    func empty() {
        let page = Page<Int>(items: [], total: 0, request: PageRequest())
        #expect(page.totalPages == 0 && !page.hasNext && !page.hasPrevious)
    }

    @Test("when 45 items are paged by 20 then there are 3 pages with next and previous where they exist")
    func navigation() {
        let first = Page(items: Array(0..<20), total: 45, request: PageRequest(page: 1, pageSize: 20))
        #expect(first.totalPages == 3 && first.hasNext && !first.hasPrevious)
        let middle = Page(items: Array(20..<40), total: 45, request: PageRequest(page: 2, pageSize: 20))
        #expect(middle.hasNext && middle.hasPrevious)
        let last = Page(items: Array(40..<45), total: 45, request: PageRequest(page: 3, pageSize: 20))
        #expect(!last.hasNext && last.hasPrevious)
        let beyond = Page<Int>(items: [], total: 45, request: PageRequest(page: 9, pageSize: 20))
        #expect(!beyond.hasNext && beyond.hasPrevious)
    }

    @Test("when the total is an exact multiple of the page size then no extra page is counted")
    func exactMultiple() {
        #expect(Page<Int>(items: [], total: 40, request: PageRequest(page: 1, pageSize: 20)).totalPages == 2)
        #expect(Page<Int>(items: [], total: 1, request: PageRequest(page: 1, pageSize: 20)).totalPages == 1)
    }
}
