/// A 1-based page request, bounded so that no list call can ask for an unbounded result.
public struct PageRequest: Sendable, Equatable {
    public static let defaultSize = 20
    public static let maximumSize = 100
    /// Far beyond any real list, and `maximumPage * maximumSize` fits any integer column.
    public static let maximumPage = 1 << 31

    public let page: Int
    public let pageSize: Int

    public init(page: Int = 1, pageSize: Int = PageRequest.defaultSize) {
        // Clamped so that the offset below can never overflow (a huge ?page= used to trap).
        self.page = min(max(1, page), Self.maximumPage)
        self.pageSize = min(max(1, pageSize), Self.maximumSize)
    }

    public var offset: Int { (page - 1) * pageSize }
}

public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let total: Int
    public let request: PageRequest

    public init(items: [Item], total: Int, request: PageRequest) {
        self.items = items
        self.total = total
        self.request = request
    }

    public var totalPages: Int { total == 0 ? 0 : (total + request.pageSize - 1) / request.pageSize }
    public var hasNext: Bool { request.page < totalPages }
    public var hasPrevious: Bool { request.page > 1 }
}
