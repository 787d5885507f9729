"""What a criterion and a reason mean for the agency reading its report, in Vietnamese: the
declaration each judge module makes next to its judge (`ABOUT`, one `About` per criterion code it
judges), and, in one place, how to fix each reason a site fails (`FIXES`, one per FailureKind) or
could not be evaluated (`ERROR_FIXES`, one per ErrorKind). docs/tieu-chi.md is generated from them
(`python -m portal_audit.criteria_doc`), so the explanation and the judges cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from portal_audit.status import FailureKind


@dataclass(frozen=True)
class About:
    basis: str  # the legal basis: document, article, clause
    checks: str  # what the audit checks, as an agency's web team would verify it
    why: str  # why it matters
    reasons: tuple[FailureKind, ...]  # every reason code the judge can give, most fundamental first


K = FailureKind
FIXES: dict[FailureKind, str] = {
    K.EMC_MISSING: "Gắn đoạn mã giám sát EMC do hệ thống EMC cấp vào mọi "
                   "trang (thường trong mẫu giao diện chung, trước thẻ `</body>`), với đúng mã website đã đăng ký.",
    K.EMC_NOT_EXECUTED: "Bỏ chú thích (`<!-- -->`) hoặc điều kiện đang vô hiệu hóa đoạn mã EMC để trình duyệt "
                        "thực thi nó.",
    K.EMC_MIXED_CONTENT: "Tải tập lệnh EMC bằng https:// (trang https:// không được tải tập lệnh qua http://).",
    K.EMC_SITE_ID: "Khai báo đúng mã website EMC của chính trang này trong lệnh setSiteId (không để trống, "
                   "không dùng mã của trang khác).",
    K.EMC_NOT_REPORTING: "Dùng đúng đoạn mã do EMC cấp (tập lệnh của máy chủ EMC, hàng lệnh _govaq) và kiểm tra "
                         "trang gửi được dữ liệu về máy chủ EMC (không bị tường lửa, tiện ích chặn).",
    K.EMC_LEGACY_HOST: "Thay đoạn mã cũ trỏ tới địa chỉ EMC cũ bằng đoạn mã hiện hành do EMC cấp.",
    K.EMC_BLOCKED_BY_CSP: "Thêm máy chủ EMC vào chính sách bảo mật nội dung (Content-Security-Policy: script-src, "
                          "connect-src, img-src) của trang.",
    K.EMC_WRONG_QUEUE: "Đẩy các lệnh EMC vào hàng lệnh _govaq của EMC, không vào hàng lệnh của bộ đếm khác (_paq).",
    K.BADGE_MISSING: "Hiển thị nhãn 'Đã kết nối EMC' (do tập lệnh EMC tạo) trên trang chủ, thường ở chân trang.",
    K.BADGE_HIDDEN: "Bỏ quy tắc CSS đang ẩn nhãn 'Đã kết nối EMC' (display:none, visibility:hidden, kích thước 0, "
                    "nằm ngoài màn hình) để người xem thấy nhãn.",
    K.COMPONENT_LINKS_MISSING: "Đặt trên trang chủ cổng liên kết hiển thị đến từng trang thành phần còn thiếu "
                               "(khối 'Liên kết website' hoặc danh sách đơn vị), trỏ đúng địa chỉ hiện hành.",
    K.PORTAL_LINK_MISSING: "Đặt trên trang chủ liên kết hiển thị về cổng thông tin điện tử của bộ, ngành hoặc tỉnh "
                           "(địa chỉ hiện hành, không phải địa chỉ cũ).",
    K.MANUAL_REVIEW: "Xem lý do cán bộ đánh giá ghi trong báo cáo, khắc phục rồi đề nghị đánh giá lại.",
    K.FCP_SLOW: "Rút ngắn thời gian hiện nội dung đầu tiên: giảm tập lệnh và CSS chặn hiển thị, bật nén và bộ nhớ đệm.",
    K.LCP_SLOW: "Rút ngắn thời gian hiện nội dung lớn nhất: nén và thu nhỏ ảnh đầu trang, ưu tiên tải ảnh đó.",
    K.SPEED_INDEX_SLOW: "Cho nội dung phần đầu trang hiện sớm: tải chậm (lazy) ảnh và khối phía dưới, bớt hiệu ứng.",
    K.TBT_LONG: "Giảm tác vụ JavaScript dài khi tải trang: bỏ tập lệnh không cần, chia nhỏ, tải sau (defer).",
    K.NOT_GOV_VN: "Dùng tên miền thuộc .gov.vn cho cổng thông tin điện tử.",
    K.OUTSIDE_PORTAL_DOMAIN: "Đặt trang thành phần dưới tên miền của cổng (tendonvi.tenbonganh.gov.vn, "
                             "tencoquan.tentinhthanh.gov.vn).",
    K.NXDOMAIN: "Khai báo tên miền trong DNS (tên miền hiện không phân giải được).",
    K.NO_AAAA: "Khai báo bản ghi AAAA (địa chỉ IPv6) cho tên miền và bật IPv6 trên máy chủ.",
    K.NO_HTTPS: "Cho trang truy cập được bằng HTTPS với chứng chỉ hợp lệ.",
    K.CERT_EXPIRED: "Gia hạn chứng chỉ TLS và cài chứng chỉ mới lên máy chủ.",
    K.CERT_NOT_YET_VALID: "Kiểm tra ngày bắt đầu hiệu lực của chứng chỉ và đồng hồ của máy chủ cấp chứng chỉ.",
    K.CERT_SELF_SIGNED: "Thay chứng chỉ tự ký bằng chứng chỉ do tổ chức cấp chứng chỉ được tin cậy cấp.",
    K.CERT_UNTRUSTED: "Dùng chứng chỉ của tổ chức được tin cậy và cài đủ chứng chỉ trung gian trên máy chủ.",
    K.CERT_HOSTNAME: "Dùng chứng chỉ cấp cho đúng tên miền của trang (kể cả dạng có và không có www.).",
    K.CERT_OTHER: "Kiểm tra lại chứng chỉ TLS và cấu hình HTTPS của máy chủ theo thông báo lỗi.",
    K.OLD_TLS: "Tắt TLS 1.0 và TLS 1.1 trên máy chủ, chỉ bật TLS 1.2 trở lên.",
    K.NO_HTTPS_REDIRECT: "Chuyển hướng mọi yêu cầu http:// sang https:// (mã 301).",
    K.NO_HSTS: "Gửi tiêu đề Strict-Transport-Security trên các trang HTTPS.",
    K.HSTS_SHORT: "Tăng max-age của tiêu đề Strict-Transport-Security tới mức tối thiểu được yêu cầu.",
    K.MIXED_CONTENT: "Tải mọi ảnh, tập lệnh, CSS của trang HTTPS bằng https://.",
    K.MISSING_SECURITY_HEADERS: "Thêm các tiêu đề bảo mật còn thiếu (Content-Security-Policy, X-Content-Type-Options, "
                                "frame-ancestors hoặc X-Frame-Options, Referrer-Policy).",
    K.MISSING_METADATA: "Bổ sung các phần tử đặc tả dữ liệu còn thiếu (DC.title, DC.creator, DC.date, DC.description, "
                        "DC.publisher, DC.identifier, lang) vào phần `<head>` của trang.",
    K.NO_VIEWPORT_META: 'Thêm `<meta name="viewport" content="width=device-width, initial-scale=1">` '
                        "vào phần `<head>`.",
    K.VIEWPORT_NOT_DEVICE_WIDTH: "Đặt width=device-width trong thẻ viewport (không cố định bề rộng theo điểm ảnh).",
    K.HORIZONTAL_SCROLL: "Sửa các phần tử rộng hơn màn hình điện thoại (bảng, ảnh, khung nhúng có bề rộng cố định) "
                         "để không phải cuộn ngang.",
    K.AXE_VIOLATIONS: "Sửa các lỗi hỗ trợ người khuyết tật được liệt kê (văn bản thay thế của ảnh, nhãn của ô nhập, "
                      "độ tương phản màu ...), theo WCAG 2.x mức A/AA.",
    K.STALE_NEWS: "Cập nhật tin bài thường xuyên; tin mới nhất trên trang chủ không quá số ngày quy định.",
    K.NO_NEWS_DATES: "Hiển thị ngày đăng cạnh tin bài trên trang chủ (hoặc thẻ `<time>`, article:published_time, RSS).",
    K.ITEM_MISSING: "Đặt trên trang chủ (menu chính hoặc menu 'Giới thiệu') liên kết tới mục thông tin còn thiếu, "
                    "với tên dễ nhận biết (ví dụ 'Cơ cấu tổ chức', 'Lịch sử', 'Lãnh đạo', 'Văn bản', 'Thủ tục hành "
                    "chính', 'Kế hoạch'), hiển thị hoặc mở ra khi di chuột, không bị ẩn hẳn.",
    K.ITEM_PAGE_BROKEN: "Sửa liên kết của mục thông tin để trỏ tới trang đang hoạt động (không trả về lỗi 404/500, "
                        "không quá thời gian chờ).",
    K.ITEM_PAGE_EMPTY: "Đăng nội dung cho trang của mục thông tin (chuyên mục không để trống, không để 'đang cập "
                       "nhật', không trỏ về trang chủ); trang lãnh đạo ghi chức vụ và họ tên từng người.",
    K.NO_SEARCH_FORM: "Bổ sung công cụ tìm kiếm, lọc văn bản (theo số ký hiệu, trích yếu, loại văn bản, cơ quan ban "
                      "hành) ngay trên trang danh sách văn bản.",
    K.CONTACT_INCOMPLETE: "Ghi địa chỉ, số điện thoại và thư điện tử của cơ quan bằng chữ trên trang chủ (thường ở "
                          "chân trang), không chỉ trong ảnh.",
    K.RATING_MISSING: "Bổ sung trên trang chủ chức năng đánh giá mức độ hài lòng trực tuyến (liên kết, nút hoặc biểu "
                      "mẫu 'Đánh giá mức độ hài lòng', hoặc tiện ích đánh giá nhúng).",
}

# Why a site could not be evaluated, by ErrorKind value (a kind another module adds later gets its
# text here too; the self-test names any kind left without one).
ERROR_FIXES: dict[str, str] = {
    "dns": "Kiểm tra bản ghi DNS của tên miền: người dân cũng không mở được trang.",
    "refused": "Kiểm tra máy chủ web và tường lửa: máy chủ từ chối kết nối tới cổng 80/443.",
    "tls": "Sửa chứng chỉ hoặc cấu hình TLS của máy chủ: trình duyệt không thiết lập được kết nối an toàn.",
    "timeout": "Kiểm tra tốc độ và tải của máy chủ: trang chủ không phản hồi trong thời gian chờ.",
    "network": "Kiểm tra đường truyền và máy chủ: kết nối bị ngắt khi tải trang chủ.",
    "redirect_loop": "Sửa cấu hình chuyển hướng (http/https, www) đang chuyển hướng vòng quanh.",
    "http_4xx": "Cho địa chỉ trang chủ trả về trang web (không phải 'không tìm thấy' hoặc 'bị từ chối').",
    "http_5xx": "Sửa lỗi máy chủ (HTTP 5xx) khi mở trang chủ.",
    "download": "Cho địa chỉ trang chủ trả về trang web, không phải tệp tải về.",
    "not_html": "Cho địa chỉ trang chủ trả về trang HTML.",
    "hung": "Sửa tập lệnh làm treo trình duyệt khi mở trang chủ (vòng lặp, tải quá nặng).",
    "crash": "Giảm dung lượng trang chủ (ảnh, tập lệnh) làm trình duyệt dừng khi mở.",
    "blocked": "Cho tên miền trỏ tới địa chỉ công khai, không phải địa chỉ mạng nội bộ.",
    "judge_error": "Lỗi của công cụ đánh giá, không phải của trang: đơn vị đánh giá sẽ đánh giá lại.",
    "gather_failed": "Công cụ không thu thập được số liệu cần cho tiêu chí (Lighthouse, DNS ...): đơn vị đánh giá "
                     "sẽ đánh giá lại.",
    "worker_died": "Lỗi của công cụ đánh giá, không phải của trang: đơn vị đánh giá sẽ đánh giá lại.",
    "audit_error": "Lỗi của công cụ đánh giá, không phải của trang: đơn vị đánh giá sẽ đánh giá lại.",
    "auditor_network": "Mạng của đơn vị đánh giá bị gián đoạn, không phải lỗi của trang: không tính điểm, "
                       "lần chạy lại sẽ đánh giá.",
    "auditor_browser": "Trình duyệt của đơn vị đánh giá bị đóng giữa chừng, không phải lỗi của trang: không tính "
                       "điểm, lần chạy lại sẽ đánh giá.",
}
