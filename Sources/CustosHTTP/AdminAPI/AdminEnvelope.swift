import CustosCore
import Foundation

/// `{"code": 0, "data": …, "message": …, "timestamp": …}`: every admin success.
struct DataEnvelope<Payload: Encodable>: Encodable {
    let code = 0
    let data: Payload
    let message: String
    let timestamp: String

    init(_ data: Payload, message: String, at date: Date = Date()) {
        self.data = data
        self.message = message
        self.timestamp = Timestamp.string(date)
    }
}

/// `{"code": 0, "items": […], "total": N, "pagination": {…}, "message", "timestamp"}`.
struct ListEnvelope<Item: Encodable>: Encodable {
    struct Pagination: Encodable {
        let page: Int
        let pageSize: Int
        let total: Int
        let totalPages: Int
        let hasNext: Bool
        let hasPrev: Bool

        enum CodingKeys: String, CodingKey {
            case page, total
            case pageSize = "page_size"
            case totalPages = "total_pages"
            case hasNext = "has_next"
            case hasPrev = "has_prev"
        }
    }

    let code = 0
    let items: [Item]
    let total: Int
    let pagination: Pagination
    let message: String
    let timestamp: String

    init<Source: Sendable>(_ page: Page<Source>, message: String, transform: (Source) -> Item) {
        self.items = page.items.map(transform)
        self.total = page.total
        self.pagination = Pagination(
            page: page.request.page,
            pageSize: page.request.pageSize,
            total: page.total,
            totalPages: page.totalPages,
            hasNext: page.hasNext,
            hasPrev: page.hasPrevious
        )
        self.message = message
        self.timestamp = Timestamp.string(Date())
    }
}

/// `SimpleResponse`: every admin error; `code` is the HTTP status.
struct SimpleResponse: Encodable {
    let code: Int
    let message: String
    let timestamp: String

    init(code: Int, message: String) {
        self.code = code
        self.message = message
        self.timestamp = Timestamp.string(Date())
    }
}
